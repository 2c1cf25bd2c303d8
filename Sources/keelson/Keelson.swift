import ArgumentParser
import KeelsonCore

/// The `keelson` command: argument parsing and output only; the work happens in the libraries.
@main
struct Keelson: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keelson",
        abstract: "A GitOps deployment reconciler: git is the truth, Keelson makes it run.",
        version: KeelsonVersion.current,
        subcommands: [DemoCommand.self, FetchCommand.self, RenderCommand.self, VersionCommand.self]
    )
}
