import ArgumentParser
import Foundation
import KeelsonGit

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Bring a repository's branch, tag or commit into Keelson's mirror cache.",
        discussion: """
            Asks the remote where the revision points first and downloads nothing when the mirror \
            has it already. Credentials come from the environment (KEELSON_GIT_TOKEN[_FILE], \
            KEELSON_GIT_SSH_KEY_FILE, …; see docs/git.md), never from the command line.
            """)

    @Argument(help: "The repository: https://, ssh://, git@host:org/repo, file:// or a local path.")
    var repository: String

    @Option(name: .long, help: "Branch, tag or commit SHA.")
    var revision = "main"

    @Option(name: .long, help: "Give up after this long.")
    var timeout = TimeLimit(argument: "5m")!

    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            let remote = try RemoteURL(repository)
            let mirror = try await MirrorCache(stateFolder: home.folder).mirror(for: remote)
            let options = NetworkOptions(credentials: try GitCredentials.fromEnvironment(), timeout: timeout.duration)
            let started = ContinuousClock.now
            let result = try await mirror.fetch(revision, options: options)
            let commit = try await mirror.commit(result.commit)
            print("\(result.kind) \(revision) of \(remote) at \(commit.id.short) \(commit.subject)")
            print("  " + Narration.describe(result, elapsed: ContinuousClock.now - started))
            print("  mirror: \(mirror.folder)")
        }
    }
}
