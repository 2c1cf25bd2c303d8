import ArgumentParser
import KeelsonCore

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Go back to an earlier deployment, and stay there.",
        discussion: """
            Re-applies the desired state of a history entry (default: the newest successful one that is not live) \
            and pins the application there: reconciles report OutOfSync but do not undo it, until a new commit for \
            the application lands on the tracked branch or `keelson resume`. With --revert-commit the rollback is \
            also committed to the branch and pushed, so git stays the truth and nothing is pinned.
            """)

    @Argument(help: "The application.") var application: String
    @Argument(help: "The history entry to go back to (see `keelson history`).") var historyID: Int?
    @Flag(name: .long, help: "Also commit the rollback to the tracked branch and push it.") var revertCommit = false
    @OptionGroup var waiting: WaitOptions
    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            var options = Reconciler.RollbackOptions()
            options.historyID = historyID
            options.wait = waiting.limit
            options.revertCommit = revertCommit
            let report = try await Workspace(home).reconciler.rollback(application, options: options)
            print(ReportOutput.lines(report).joined(separator: "\n"))
            if report.entries.contains(where: { $0.initiator == .rollback && $0.outcome == .failed }) {
                throw ExitCode(1)
            }
            if ReportOutput.outlastedWait(report, wait: options.wait) { throw ExitCode(1) }
        }
    }
}

struct SuspendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspend", abstract: "Stop scheduled reconciles of an application (sync and rollback still work).")

    @Argument(help: "The application.") var application: String
    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            try await Workspace(home).reconciler.suspend(application)
            print("\(application) suspended: reconciles skip it until `keelson resume \(application)`")
        }
    }
}

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Let reconciles go on, and release a rollback's pin so the tracked revision is applied again.")

    @Argument(help: "The application.") var application: String
    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            let pin = try await Workspace(home).reconciler.resume(application)
            print(
                "\(application) resumed"
                    + (pin.map {
                        ": pin on \($0.commit.prefix(7)) (\($0.reason)) released; the next reconcile applies the branch"
                    }
                        ?? ""))
        }
    }
}
