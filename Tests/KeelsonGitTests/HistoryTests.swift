import Foundation
import KeelsonGit
import KeelsonTestSupport
import Testing

struct HistoryTests {
    @Test func commitMetadata() async throws {
        let fixture = try MirrorFixture()
        let id = try fixture.publish("Bump web to 1.2.3\n\nCI build 42", ["apps/web/deploy.yaml": "a"])
        let mirror = try await fixture.fetchedMirror()
        let commit = try await mirror.commit(id)
        #expect(commit.subject == "Bump web to 1.2.3")
        #expect(commit.message.contains("CI build 42"))
        #expect(commit.author.name == "Ada Author")
        #expect(commit.author.email == "ada@example.com")
        #expect(commit.committer.name == "Cy Committer")
        #expect(commit.author.date == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(commit.parents.isEmpty)
    }

    @Test func logTouchingAPathKeepsOnlyCommitsThatChangedIt() async throws {
        let fixture = try MirrorFixture()
        let web1 = try fixture.publish("web 1", ["apps/web/deploy.yaml": "1"])
        try fixture.publish("api 1", ["apps/api/deploy.yaml": "1"])
        let web2 = try fixture.publish("web 2", ["apps/web/deploy.yaml": "2"])
        let api2 = try fixture.publish("api 2", ["apps/api/deploy.yaml": "2"])
        let mirror = try await fixture.mirror()
        let head = try await mirror.fetch("main").commit
        #expect(try await mirror.log(from: head, touching: "apps/web").map(\.id) == [web2, web1])
        #expect(try await mirror.log(from: head).count == 4)
        #expect(try await mirror.log(from: head, limit: 1).map(\.id) == [api2])
        #expect(try await mirror.commit(web2).parents.count == 1)
    }
}

extension HistoryTests {
    /// What a render asks after every push: the newest commit that changed any file it read.
    /// A file unchanged since the first commit does not send the walk to the root, and a mirror
    /// asked again walks only the commits pushed since.
    @Test func lastChangeWalksOnlyTheCommitsSinceItsLastAnswer() async throws {
        let fixture = try MirrorFixture()
        let root = try fixture.publish("add", ["apps/web/web.yaml": "1", "apps/web/worker.yaml": "1"])
        var bumps: [ObjectID] = []
        for bump in 2...31 { bumps.append(try fixture.publish("web \(bump)", ["apps/web/web.yaml": "\(bump)"])) }
        let mirror = try await fixture.fetchedMirror()
        let both = ["apps/web/web.yaml", "apps/web/worker.yaml"]

        #expect(try await mirror.lastChange(touching: both, from: bumps.last!)?.id == bumps.last)
        #expect(await mirror.statistics.commitsWalked == 1)
        #expect(try await mirror.lastChange(touching: ["apps/web/worker.yaml"], from: bumps.last!)?.id == root)
        #expect(await mirror.statistics.commitsWalked == 1 + 31)

        // Five more pushes: asked again, the mirror walks those five and keeps its answer.
        for bump in 32...36 { bumps.append(try fixture.publish("web \(bump)", ["apps/web/web.yaml": "\(bump)"])) }
        _ = try await mirror.fetch("main")
        #expect(try await mirror.lastChange(touching: ["apps/web/worker.yaml"], from: bumps.last!)?.id == root)
        #expect(await mirror.statistics.commitsWalked == 1 + 31 + 5)

        // A change among the new commits is the answer; paths are a set, in any order.
        let worker = try fixture.publish("worker 2", ["apps/web/worker.yaml": "2"])
        try fixture.publish("web 37", ["apps/web/web.yaml": "37"])
        let head = try await mirror.fetch("main").commit
        #expect(try await mirror.lastChange(touching: ["apps/web/worker.yaml"], from: head)?.id == worker)
        #expect(try await mirror.lastChange(touching: both.reversed(), from: head)?.id == head)

        // From an older commit (a rollback's render) the answer is that commit's own.
        #expect(try await mirror.lastChange(touching: ["apps/web/worker.yaml"], from: bumps[9])?.id == root)
        #expect(try await mirror.lastChange(touching: both, from: bumps[9])?.id == bumps[9])
        #expect(try await mirror.lastChange(touching: ["apps/api/api.yaml"], from: head) == nil)
    }
}
