import ArgumentParser
import Foundation
import KeelsonCore
import KeelsonKubernetes

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "What was deployed for an application, by whom, and how each rollout ended; newest first.")

    @Argument(help: "The application.") var application: String
    @Option(name: .shortAndLong, help: "table or json.") var output: RenderCommand.OutputFormat = .table
    @Option(name: .long, help: "Show at most this many entries.") var limit = 50
    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            let store = try ApplicationStore(home: home.folder)
            _ = try store.application(application)
            let entries = try store.history(of: application, limit: limit)
            switch output {
            case .json: print(try ReportOutput.json(entries))
            case .table:
                if entries.isEmpty { return print("no history yet; run `keelson reconcile \(application)`") }
                var rows = [["ID", "REVISION", "INITIATOR", "OUTCOME", "STARTED", "TOOK", "ROLLOUTS", "SUBJECT"]]
                for entry in entries {
                    rows.append([
                        "\(entry.id)", String(entry.revision.prefix(7)), entry.initiator.rawValue,
                        Style.outcome(entry.outcome), entry.startedAt.formatted(.iso8601),
                        entry.finishedAt.map { Self.took($0.timeIntervalSince(entry.startedAt)) } ?? "-",
                        entry.rollouts.map { "\($0.deployment.name)@\($0.revision.map(String.init) ?? "?")" }
                            .joined(separator: " "),
                        entry.subject,
                    ])
                }
                print(Narration.table(rows))
                for entry in entries where !entry.message.isEmpty { print("#\(entry.id): \(entry.message)") }
            }
        }
    }

    private static func took(_ seconds: TimeInterval) -> String {
        seconds < 1 ? String(format: "%.0fms", seconds * 1000) : String(format: "%.1fs", seconds)
    }
}
