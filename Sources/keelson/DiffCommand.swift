import ArgumentParser
import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonKubernetes
import KeelsonManifests

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What a sync would change: git's desired state against live, field by field.",
        discussion: "Exit status: 0 no difference, 1 differences, 2 an error (git unreachable, invalid manifests, …).")

    @Argument(help: "The application.") var application: String
    @Option(name: .long, help: "Compare this branch, tag or SHA instead of the tracked revision.") var revision: String?
    @Option(name: .shortAndLong, help: "table or json.") var output: RenderCommand.OutputFormat = .table
    @OptionGroup var home: HomeOptions

    /// One object's difference, as `-o json` prints it.
    struct ObjectDiff: Encodable {
        let key: ObjectKey
        let state: LiveComparison.State
        let differences: [FieldDifference]
    }

    func run() async throws {
        let comparison: LiveComparison
        let commit: Commit
        do {
            (commit, comparison) = try await Workspace(home).reconciler.compare(application, revision: revision)
        } catch let failure as RenderFailure {
            printError("error: \(application): the manifests cannot be rendered")
            for error in failure.errors { printError("  \(error)") }
            throw ExitCode(2)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        let differing = comparison.entries.filter { $0.state != .synced }
        switch output {
        case .json:
            print(
                try ReportOutput.json(
                    differing.map { ObjectDiff(key: $0.key, state: $0.state, differences: $0.differences) }))
        case .table:
            if differing.isEmpty { print("\(application): live matches \(commit.id.short) \"\(commit.subject)\"") }
            for entry in differing {
                print(Self.headline(entry))
                for difference in entry.differences { print("    \(difference)") }
            }
        }
        if !differing.isEmpty { throw ExitCode(1) }
    }

    private static func headline(_ entry: LiveComparison.Entry) -> String {
        switch entry.state {
        case .missing: "+ \(entry.key) (in git, not live)"
        case .changed: "~ \(entry.key) (changed in git)"
        case .drifted: "~ \(entry.key) (changed live)"
        case .extra: "- \(entry.key) (live, no longer in git)"
        case .synced: "  \(entry.key)"
        }
    }
}
