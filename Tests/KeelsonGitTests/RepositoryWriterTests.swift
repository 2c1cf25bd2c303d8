import Foundation
import KeelsonGit
import KeelsonTestSupport
import Testing

struct RepositoryWriterTests {
    static let author = Commit.Signature(
        name: "Demo", email: "demo@example.com", date: Date(timeIntervalSince1970: 1_750_000_000))

    @Test func commitsAreReadableByGit() throws {
        TestEnvironment.prepare()
        let folder = try TemporaryFolder()
        let writer = try RepositoryWriter(bareRepositoryAt: folder.appending("repo.git"))
        let first = try writer.commit(
            ["apps/web/deploy.yaml": Array("v1".utf8), "apps/api/deploy.yaml": Array("a1".utf8)], onBranch: "main",
            message: "initial", author: Self.author)
        let second = try writer.commit(
            ["apps/web/deploy.yaml": Array("v2".utf8), "apps/api/deploy.yaml": nil], onBranch: "main",
            message: "bump web, drop api", author: Self.author)
        let git = ["git", "--git-dir", writer.path]
        let env = GitFixture.environment
        #expect(
            try Command.run(git + ["log", "--format=%H %an <%ae> %at %s", "main"], environment: env) == """
                \(second.hex) Demo <demo@example.com> 1750000000 bump web, drop api
                \(first.hex) Demo <demo@example.com> 1750000000 initial

                """)
        #expect(try Command.run(git + ["show", "main:apps/web/deploy.yaml"], environment: env) == "v2")
        #expect(
            try Command.run(git + ["ls-tree", "-r", "--name-only", "main"], environment: env)
                == "apps/web/deploy.yaml\n")
        #expect(try Command.run(git + ["symbolic-ref", "HEAD"], environment: env) == "refs/heads/main\n")
        #expect(try Command.run(git + ["fsck", "--strict"], environment: env).isEmpty)
    }

    @Test func aWrittenRepositoryCanBeMirrored() async throws {
        TestEnvironment.prepare()
        let folder = try TemporaryFolder()
        let writer = try RepositoryWriter(bareRepositoryAt: folder.appending("repo.git"))
        let head = try writer.commit(
            ["a.yaml": Array("a: 1".utf8)], onBranch: "main", message: "one", author: Self.author)
        let mirror = try await MirrorCache(stateFolder: folder.appending("state")).mirror(for: RemoteURL(writer.url))
        #expect(try await mirror.fetch("main").commit == head)
    }
}
