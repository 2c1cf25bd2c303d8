import Foundation
import KeelsonGit
import KeelsonTestSupport
import Testing

struct RestoreTests {
    static let bot = Commit.Signature(
        name: "Keelson", email: "keelson@example.com", date: Date(timeIntervalSince1970: 1_800_000_000))

    @Test func restoringAPathCommitsAndPushesItsOldContent() async throws {
        let fixture = try MirrorFixture()
        let good = try fixture.publish(
            "good",
            [
                "apps/web/deploy.yaml": deployment("web", image: "web:1"),
                "apps/web/extra.yaml": "kind: ConfigMap",
                "apps/api/deploy.yaml": deployment("api", image: "api:1"),
            ])
        try fixture.git.git("rm", "--quiet", "apps/web/extra.yaml")
        try fixture.git.write("apps/web/deploy.yaml", deployment("web", image: "web:broken"))
        try fixture.git.write("apps/web/added.yaml", "kind: Service")
        try fixture.git.write("apps/api/deploy.yaml", deployment("api", image: "api:2"))
        let bad = try fixture.git.commitAndPush("bad")
        let mirror = try await fixture.fetchedMirror()

        let revert = try #require(
            try await mirror.pushRestoring(
                ["apps/web"], to: good, onBranch: "main", message: "Roll back apps/web to \(good.short)",
                author: Self.bot
            ))

        #expect(
            try fixture.git.gitRemote("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines) == revert.hex
        )
        let log = try fixture.git.gitRemote("log", "--format=%H %an %s", "-2", "main")
        #expect(log == "\(revert.hex) Keelson Roll back apps/web to \(good.short)\n\(bad.hex) Ada Author bad\n")
        #expect(try fixture.git.gitRemote("show", "main:apps/web/deploy.yaml") == deployment("web", image: "web:1"))
        #expect(try fixture.git.gitRemote("show", "main:apps/web/extra.yaml") == "kind: ConfigMap")
        #expect(throws: Command.Failure.self) { try fixture.git.gitRemote("show", "main:apps/web/added.yaml") }
        #expect(try fixture.git.gitRemote("show", "main:apps/api/deploy.yaml") == deployment("api", image: "api:2"))
        #expect(try await mirror.resolve("main") == revert)
    }

    @Test func restoringWhatIsAlreadyThereCommitsNothing() async throws {
        let fixture = try MirrorFixture()
        let good = try fixture.publish("good", ["apps/web/deploy.yaml": "1"])
        try fixture.publish("other app", ["apps/api/deploy.yaml": "1"])
        let mirror = try await fixture.fetchedMirror()
        let result = try await mirror.pushRestoring(
            ["apps/web"], to: good, onBranch: "main", message: "noop", author: Self.bot)
        #expect(result == nil)
        #expect(try fixture.git.gitRemote("log", "--format=%s", "-1", "main") == "other app\n")
    }

    @Test func restoringOntoABranchThatMovedUsesItsNewTip() async throws {
        let fixture = try MirrorFixture()
        let good = try fixture.publish("good", ["apps/web/deploy.yaml": "1"])
        try fixture.publish("bad", ["apps/web/deploy.yaml": "2"])
        let mirror = try await fixture.fetchedMirror()
        let moved = try fixture.publish("someone else", ["apps/api/deploy.yaml": "x"])
        let revert = try #require(
            try await mirror.pushRestoring(
                ["apps/web"], to: good, onBranch: "main", message: "restore", author: Self.bot)
        )
        #expect(try await mirror.commit(revert).parents == [moved])
    }
}
