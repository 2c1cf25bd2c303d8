import ArgumentParser
import KeelsonCore

/// The `keelson` command: argument parsing and output only; the work happens in the libraries.
@main
struct Keelson: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keelson",
        abstract: "A GitOps deployment reconciler: git is the truth, Keelson makes it run.",
        version: KeelsonVersion.current,
        subcommands: [
            AppCommand.self, StatusCommand.self, DiffCommand.self, ReconcileCommand.self, SyncCommand.self,
            HistoryCommand.self, RollbackCommand.self, SuspendCommand.self, ResumeCommand.self, RolloutCommand.self,
            RunCommand.self, BenchCommand.self,

            DemoCommand.self, FetchCommand.self, RenderCommand.self, ClusterCommand.self, VersionCommand.self,
            MirrorRepackCommand.self,
        ]
    )

    /// Runs the command, exiting 2 on usage errors (ArgumentParser's own choice is 64) so that
    /// scripts see 0 ok, 1 refused input or a difference, 2 any error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            printError(fullMessage(for: error))
            exit(withError: ExitCode(2))
        }
    }
}
