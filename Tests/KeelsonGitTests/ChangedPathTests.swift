import KeelsonGit
import KeelsonTestSupport
import Testing

struct ChangedPathTests {
    @Test func addedModifiedDeletedAndRenamedUnderAPrefix() async throws {
        let fixture = try MirrorFixture()
        let before = try fixture.publish(
            "before",
            [
                "apps/web/deploy.yaml": deployment("web", image: "web:1"),
                "apps/web/old-name.yaml": deployment("worker", image: "worker:1"),
                "apps/web/gone.yaml": "kind: ConfigMap",
                "apps/api/deploy.yaml": deployment("api", image: "api:1"),
            ])
        try fixture.git.write("apps/web/deploy.yaml", deployment("web", image: "web:2"))
        try fixture.git.git("mv", "apps/web/old-name.yaml", "apps/web/worker.yaml")
        try fixture.git.git("rm", "--quiet", "apps/web/gone.yaml")
        try fixture.git.write("apps/web/new.yaml", "kind: Service")
        try fixture.git.write("apps/api/deploy.yaml", deployment("api", image: "api:2"))
        let after = try fixture.git.commitAndPush("after")
        let mirror = try await fixture.fetchedMirror()
        let changes = try await mirror.changedPaths(from: before, to: after, under: "apps/web")
        #expect(
            Set(changes) == [
                ChangedPath(path: "apps/web/deploy.yaml", change: .modified),
                ChangedPath(path: "apps/web/worker.yaml", change: .renamed(from: "apps/web/old-name.yaml")),
                ChangedPath(path: "apps/web/gone.yaml", change: .deleted),
                ChangedPath(path: "apps/web/new.yaml", change: .added),
            ])
    }

    @Test func anUntouchedPrefixShortCircuitsOnTheSubtreeID() async throws {
        let fixture = try MirrorFixture()
        let before = try fixture.publish(
            "before",
            [
                "apps/web/deploy.yaml": deployment("web", image: "web:1"),
                "apps/api/deploy.yaml": deployment("api", image: "api:1"),
            ])
        let after = try fixture.publish("api only", ["apps/api/deploy.yaml": deployment("api", image: "api:2")])
        let mirror = try await fixture.fetchedMirror()
        #expect(try await mirror.changedPaths(from: before, to: after, under: "apps/web").isEmpty)
        #expect(await mirror.statistics.treeDiffs == 0)
        #expect(try await mirror.changedPaths(from: before, to: after, under: "apps/api").count == 1)
        #expect(await mirror.statistics.treeDiffs == 1)
    }

    @Test func fromNothingEverythingIsAdded() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("first", ["apps/web/a.yaml": "a", "apps/web/b.yaml": "b"])
        let mirror = try await fixture.fetchedMirror()
        let changes = try await mirror.changedPaths(from: nil, to: head, under: "apps/web")
        #expect(changes.map(\.description) == ["A apps/web/a.yaml", "A apps/web/b.yaml"])
    }

    @Test func aPrefixThatIsAFileReportsThatFile() async throws {
        let fixture = try MirrorFixture()
        let before = try fixture.publish("before", ["app.yaml": "a: 1"])
        let after = try fixture.publish("after", ["app.yaml": "a: 2"])
        let mirror = try await fixture.fetchedMirror()
        #expect(
            try await mirror.changedPaths(from: before, to: after, under: "app.yaml").map(\.description) == [
                "M app.yaml"
            ])
    }
}
