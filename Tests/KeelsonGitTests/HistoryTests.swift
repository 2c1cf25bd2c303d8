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
