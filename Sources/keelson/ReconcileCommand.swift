import ArgumentParser
import Foundation
import KeelsonCore
import KeelsonManifests

/// `--wait`/`--timeout`, shared by reconcile, sync and rollback.
struct WaitOptions: ParsableArguments {
    @Flag(
        name: .long,
        help: "Follow rollouts until done or failed (simulated cluster: advance its clock unless a daemon runs it).")
    var wait = false

    @Option(name: .long, help: "How long --wait follows rollouts (simulated time on the simulated cluster).")
    var timeout = TimeLimit(argument: "10m")!

    var limit: Duration? { wait ? timeout.duration : nil }
}

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "One reconcile pass over all applications, or the ones named (for cron and CI).",
        discussion: """
            Fetches, renders, compares with live and applies what changed, as the daemon does on its schedule: \
            automated applications are synced, manual ones reported, suspended ones skipped. Exit status: 0 all \
            reconciled, 1 some manifests were refused or a rollout failed, 2 an error (git unreachable, …).
            """)

    @Argument(help: "Applications (default: all).") var applications: [String] = []
    @OptionGroup var waiting: WaitOptions
    @Flag(name: .long, help: "Prune even when git renders no objects at all.") var allowEmpty = false
    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            let workspace = try Workspace(home)
            let names = applications.isEmpty ? try workspace.store.applications().map(\.name) : applications
            if names.isEmpty { return print("no applications; add one with `keelson app add`") }
            var options = Reconciler.Options()
            options.wait = waiting.limit
            options.allowEmpty = allowEmpty
            var worst: Int32 = 0
            for (name, result) in await workspace.reconciler.reconcileAll(names, options: options) {
                worst = max(worst, Self.report(name, result, options: options))
            }
            if worst != 0 { throw ExitCode(worst) }
        }
    }

    /// Runs one pass and prints it; returns its exit status.
    static func pass(_ name: String, workspace: Workspace, options: Reconciler.Options) async -> Int32 {
        do {
            return report(
                name, .success(try await workspace.reconciler.reconcile(name, options: options)), options: options)
        } catch {
            return report(name, .failure(error), options: options)
        }
    }

    /// Prints how one pass ended; returns its exit status.
    static func report(_ name: String, _ result: Result<ReconcileReport, any Error>, options: Reconciler.Options)
        -> Int32
    {
        switch result {
        case .success(let report):
            print((options.dryRun ? ReportOutput.plan(report) : ReportOutput.lines(report)).joined(separator: "\n"))
            if ReportOutput.outlastedWait(report, wait: options.wait) { return 1 }
            return ReportOutput.failed(report) ? 1 : 0
        case .failure(ReconcileError.renderFailed(let name, let commit, let failure)):
            printError(
                "error: \(name) at \(commit.prefix(7)): \(Plural.count(failure.errors.count, "manifest error")); nothing applied"
            )
            for error in failure.errors { printError("  \(error)") }
            return 1
        case .failure(let error):
            printError("error: \(name): \(error)")
            return 2
        }
    }
}

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Apply an application's desired state now, drift included, whatever its sync policy.",
        discussion: """
            Syncs where the tracked revision points and releases a rollback's pin; with --revision, syncs that \
            branch, tag or SHA instead and pins the application there until a new commit or `keelson resume`.
            """)

    @Argument(help: "The application.") var application: String
    @Option(name: .long, help: "Branch, tag or SHA to sync instead of the tracked revision.") var revision: String?
    @Flag(name: .long, help: "Show what would change; change nothing.") var dryRun = false
    @OptionGroup var waiting: WaitOptions
    @Flag(name: .long, help: "Prune even when git renders no objects at all.") var allowEmpty = false
    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            var options = Reconciler.Options()
            options.initiator = .manual
            options.revision = revision
            options.dryRun = dryRun
            options.wait = waiting.limit
            options.allowEmpty = allowEmpty
            let status = await ReconcileCommand.pass(application, workspace: try Workspace(home), options: options)
            if status != 0 { throw ExitCode(status) }
        }
    }
}
