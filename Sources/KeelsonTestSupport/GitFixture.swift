import Foundation
import KeelsonGit

/// A real git repository for tests, built with the `git` CLI: a bare "remote" and a work tree
/// that commits and pushes to it. Nothing from the developer's git configuration applies.
public final class GitFixture: Sendable {
    public let folder: TemporaryFolder
    /// The bare repository that plays the remote.
    public let remotePath: String
    /// The work tree that commits and pushes.
    public let workPath: String
    public let branch: String

    /// The remote as a `file://` address, so libgit2's real fetch path runs.
    public var url: String { "file://" + remotePath }

    /// The environment every fixture `git` runs with: no system or global configuration, fixed
    /// identities, and dates that advance one second per commit for stable ordering.
    public static let environment: [String: String] = [
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Ada Author",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Cy Committer",
        "GIT_COMMITTER_EMAIL": "cy@example.com",
    ]

    public init(branch: String = "main") throws {
        TestEnvironment.prepare()
        folder = try TemporaryFolder("keelson-git")
        remotePath = folder.appending("remote.git")
        workPath = folder.appending("work")
        self.branch = branch
        try Command.run(
            ["git", "init", "--quiet", "--bare", "--initial-branch", branch, remotePath], environment: Self.environment)
        try Command.run(
            ["git", "init", "--quiet", "--initial-branch", branch, workPath], environment: Self.environment)
        try git("remote", "add", "origin", remotePath)
    }

    /// Runs `git` in the work tree.
    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        try Command.run(["git"] + arguments, in: workPath, environment: Self.environment)
    }

    /// Runs `git` in the bare remote.
    @discardableResult
    public func gitRemote(_ arguments: String...) throws -> String {
        try Command.run(["git", "--git-dir", remotePath] + arguments, environment: Self.environment)
    }

    /// Writes `contents` at `path` in the work tree, creating folders.
    public func write(_ path: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: workPath).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Stages everything, commits with `message` and returns the new commit's SHA.
    @discardableResult
    public func commit(_ message: String, date: Int = 1_700_000_000) throws -> ObjectID {
        try git("add", "--all")
        let count =
            Int((try? git("rev-list", "--count", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)) ?? "0") ?? 0
        let stamp = "@\(date + count) +0000"
        try Command.run(
            ["git", "commit", "--quiet", "--allow-empty", "-m", message], in: workPath,
            environment: Self.environment.merging(["GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp]) { $1 })
        return try head()
    }

    /// Pushes the work tree's branch to the remote.
    public func push(force: Bool = false) throws {
        try git("push", "--quiet", force ? "--force" : "--no-force", "origin", "HEAD:refs/heads/\(branch)")
    }

    /// Commits and pushes.
    @discardableResult
    public func commitAndPush(_ message: String) throws -> ObjectID {
        let id = try commit(message)
        try push()
        return id
    }

    /// The work tree's HEAD.
    public func head() throws -> ObjectID {
        try revParse("HEAD")
    }

    public func revParse(_ revision: String) throws -> ObjectID {
        ObjectID(hex: try git("rev-parse", revision).trimmingCharacters(in: .whitespacesAndNewlines))!
    }
}

/// Process-wide test set-up.
public enum TestEnvironment {
    private static let emptyConfiguration: String = {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("keelson-empty-gitconfig-\(getpid())")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try? LibGit2.isolateConfiguration(at: path)
        return path
    }()

    /// Points libgit2's configuration search paths at an empty folder, once, so a developer's
    /// `~/.gitconfig` (`url.*.insteadOf` and the like) cannot change what the tests fetch.
    public static func prepare() {
        _ = emptyConfiguration
    }
}
