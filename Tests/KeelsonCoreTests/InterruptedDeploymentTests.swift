import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonManifests
import KeelsonSimulator
import KeelsonTestSupport
import Testing

/// A deployment whose pass stopped half-way is finished by the next pass, never left Running,
/// never deployed twice; a refused apply leaves the records as they were.
struct InterruptedDeploymentTests {
    /// `web` at `image` in a repository, registered, with a reconciler on a simulated cluster.
    private struct Setup {
        let git: GitFixture
        let home: TemporaryFolder
        let store: ApplicationStore
        let cluster: SimulatedCluster

        init() throws {
            git = try GitFixture()
            home = try TemporaryFolder()
            store = try ApplicationStore(home: home.path)
            try store.put([Application(name: "web", repository: git.url, path: "apps/web")])
            cluster = try SimulatedCluster(path: home.appending("cluster.sqlite"))
        }

        func reconciler(_ driver: (any TargetDriver)? = nil) -> Reconciler {
            let driver = driver ?? SimulatedClusterDriver(cluster: cluster)
            return Reconciler(home: home.path, store: store) { _ in driver }
        }

        @discardableResult
        func commit(_ image: String) throws -> ObjectID {
            try git.write(
                "apps/web/web.yaml", TestManifests.deployment("web", image: "registry.example.com/web:\(image)"))
            return try git.commitAndPush("web \(image)")
        }
    }

    private static var waiting: Reconciler.Options {
        var options = Reconciler.Options()
        options.wait = .seconds(600)
        return options
    }

    @Test func runningEntriesAStatusDoesNotNameAreAdoptedOrClosed() async throws {
        let setup = try Setup()
        try setup.commit("1.0")
        _ = try await setup.reconciler().reconcile("web", options: Self.waiting)
        // What builds that wrote the entry apart from the status left behind when killed: an
        // older Running entry, and the newest one, applied, whose status was never written.
        let second = try setup.commit("2.0")
        let before = try setup.store.status(of: "web")
        func running(_ revision: String, _ subject: String) -> HistoryEntry {
            HistoryEntry(
                revision: revision, subject: subject, author: "ada", path: "apps/web", startedAt: Date(),
                initiator: .auto)
        }
        let orphans = try setup.store.record(
            "web", history: [running(before.appliedCommit!, "web 1.0"), running(second.hex, "web 2.0")])
        _ = try await setup.reconciler().reconcile("web")
        #expect(try await setup.reconciler().compare("web").1.isSynced)

        let report = try await setup.reconciler().reconcile("web", options: Self.waiting)
        let history = try setup.store.history(of: "web")
        #expect(history.map(\.id) == [3, 2, 1], "no entry added: the interrupted one was adopted")
        #expect(history.first { $0.id == orphans[0].id }?.outcome == .failed)
        #expect(history.first { $0.id == orphans[0].id }?.message.hasPrefix("interrupted") == true)
        #expect(history.first { $0.id == orphans[1].id }?.outcome == .succeeded)
        #expect(report.status.currentHistoryID == orphans[1].id)
        #expect(report.status.sync == .synced && report.status.health == .healthy)
    }

    @Test func aRefusedApplyLeavesTheLiveEntryAndThePinAsTheyWere() async throws {
        let setup = try Setup()
        try setup.commit("1.0")
        _ = try await setup.reconciler().reconcile("web", options: Self.waiting)
        try setup.commit("2.0")
        _ = try await setup.reconciler().reconcile("web")
        let before = try setup.store.status(of: "web")
        #expect(before.currentOutcome == .running)

        try setup.commit("3.0")
        let refusing = InstrumentedDriver(SimulatedClusterDriver(cluster: setup.cluster), refusingApplies: true)
        await #expect(throws: TargetError.self) { try await setup.reconciler(refusing).reconcile("web") }
        let after = try setup.store.status(of: "web")
        #expect(after.currentHistoryID == before.currentHistoryID)
        #expect(after.appliedCommit == before.appliedCommit)
        let history = try setup.store.history(of: "web")
        #expect(history[0].outcome == .failed && history[0].message.hasPrefix("not applied"))
        // The rollout that was going on is still the live one, not "replaced".
        #expect(history[1].id == before.currentHistoryID && history[1].outcome == .running)
        #expect(history[1].supersededBy == nil)
    }
}
