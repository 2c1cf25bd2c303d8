import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonManifests
import KeelsonSimulator
import KeelsonTestSupport
import Synchronization
import Testing

/// A pass over every application settles unchanged ones without rendering or writing, and still
/// notices drift and new commits.
struct ReconcilePassTests {
    private static func deployment(_ name: String, image: String) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: \(name)}
        spec:
          replicas: 2
          selector: {matchLabels: {app: \(name)}}
          template:
            metadata: {labels: {app: \(name)}}
            spec: {containers: [{name: \(name), image: "registry.example.com/\(name):\(image)"}]}
        """
    }

    @Test func unchangedApplicationsAreSettledWithoutWorkAndChangedOnesAreNot() async throws {
        let git = try GitFixture()
        for name in ["web", "api", "db"] { try git.write("apps/\(name)/app.yaml", Self.deployment(name, image: "1.0")) }
        _ = try git.commitAndPush("three apps")
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        try store.put(["web", "api", "db"].map { Application(name: $0, repository: git.url, path: "apps/\($0)") })
        let cluster = try SimulatedCluster(path: home.appending("cluster.sqlite"))
        let driver = InstrumentedDriver(SimulatedClusterDriver(cluster: cluster))
        let reconciler = Reconciler(home: home.path, store: store) { _ in driver }
        let names = ["web", "api", "db"]
        func pass() async throws -> [String: ReconcileReport] {
            var reports: [String: ReconcileReport] = [:]
            for (name, result) in await reconciler.reconcileAll(names) { reports[name] = try result.get() }
            return reports
        }
        func upToDate(_ report: ReconcileReport?) -> Bool {
            report?.notes.contains { $0.hasPrefix("up to date") } ?? false
        }

        _ = try await pass()
        _ = try await cluster.advanceUntilSettled(maxSeconds: 600)
        _ = try await pass()  // records the finished rollouts
        let parses = reconciler.loader.renderer.cache.statistics.parses
        let written = try store.statuses()

        driver.reads.withLock { $0 = (bulk: 0, single: 0) }
        let quiet = try await pass()
        #expect(names.allSatisfy { upToDate(quiet[$0]) })
        // Live state is read once for the whole pass, not once per application.
        #expect(driver.reads.withLock { $0 } == (bulk: 1, single: 0))
        #expect(try store.statuses() == written)
        #expect(reconciler.loader.renderer.cache.statistics.parses == parses)

        // Drift on one application: that one gets a full pass and says so.
        try await cluster.scale("api", replicas: 5)
        let drifted = try await pass()
        #expect(!upToDate(drifted["api"]))
        #expect(drifted["api"]?.status.sync == .outOfSync)
        #expect(upToDate(drifted["web"]) && upToDate(drifted["db"]))

        // A commit to one application: only its file is parsed again.
        try git.write("apps/web/app.yaml", Self.deployment("web", image: "2.0"))
        _ = try git.commitAndPush("web 2.0")
        let moved = try await pass()
        #expect(moved["web"]?.entries.first?.outcome == .running)
        #expect(reconciler.loader.renderer.cache.statistics.parses == parses + 1)
    }

    /// Applications reconciled at once share one fetch of their repository (it is downloaded
    /// once, so every report shows the objects received), and the reports come in the order asked.
    @Test func applicationsReconciledAtOnceShareOneFetchAndReportInOrder() async throws {
        let git = try GitFixture()
        let names = (1...6).map { "app\($0)" }
        for name in names { try git.write("apps/\(name)/app.yaml", Self.deployment(name, image: "1.0")) }
        _ = try git.commitAndPush("six apps")
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        try store.put(names.map { Application(name: $0, repository: git.url, path: "apps/\($0)") })
        let driver = SimulatedClusterDriver(cluster: try SimulatedCluster(path: home.appending("cluster.sqlite")))
        let reconciler = Reconciler(home: home.path, store: store) { _ in driver }

        let results = await reconciler.reconcileAll(names, concurrency: 4)
        #expect(results.map(\.name) == names)
        let fetches = try results.map { try #require(try $0.result.get().fetch?.result) }
        #expect(fetches.allSatisfy { $0.receivedObjects > 0 && $0 == fetches[0] })
        #expect(try store.statuses().values.allSatisfy { $0.sync == .synced })
    }
}
