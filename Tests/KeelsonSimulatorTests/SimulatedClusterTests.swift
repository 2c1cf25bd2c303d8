import Foundation
import GRDB
import KeelsonKubernetes
import Synchronization
import Testing

@testable import KeelsonSimulator

/// The durable cluster: what is saved, what survives a restart, and the out-of-band changes people rehearse.
struct SimulatedClusterTests {
    /// A fresh store path, removed with its WAL files when the test ends.
    final class StorePath: Sendable {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("keelson-sim-\(UUID())")
        var path: String { folder.appendingPathComponent("cluster.sqlite").path }
        init() throws { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    static func rolledOut(_ cluster: SimulatedCluster, image: String = "web:1") async throws {
        try await cluster.apply(Fixtures.spec(replicas: 10, image: image, readinessDelay: 2), name: "web")
        #expect(try await cluster.advanceUntilSettled(maxSeconds: 300).settled)
    }

    @Test func aRestartMidRolloutReachesTheSameEndState() async throws {
        let interrupted = try StorePath()
        let straight = try StorePath()
        for store in [interrupted, straight] {
            let cluster = try SimulatedCluster(path: store.path)
            try await Self.rolledOut(cluster)
            try await cluster.apply(Fixtures.spec(replicas: 10, image: "web:2", readinessDelay: 2), name: "web")
            try await cluster.advance(seconds: 3)
        }
        let midway = try await SimulatedCluster(path: interrupted.path).snapshot
        #expect(midway.deployment("web")?.status.updatedReplicas ?? 0 > 0)
        #expect(midway.deployment("web")?.status.updatedReplicas ?? 10 < 10)

        let reopened = try SimulatedCluster(path: interrupted.path)
        #expect(try await reopened.snapshot == midway)
        let finishedAfterRestart = try await reopened.advanceUntilSettled(maxSeconds: 300)
        let finishedStraight = try await SimulatedCluster(path: straight.path).advanceUntilSettled(maxSeconds: 300)
        #expect(finishedAfterRestart.settled)
        #expect(finishedAfterRestart.seconds == finishedStraight.seconds)
        #expect(
            try await SimulatedCluster(path: interrupted.path).snapshot
                == SimulatedCluster(path: straight.path).snapshot)
    }

    @Test func oldEventsAreDropped() async throws {
        let store = try StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        try await cluster.apply(Fixtures.spec(replicas: ClusterStore.eventsKept + 500, image: "web:1"), name: "web")
        let made = try await cluster.advance(seconds: 1)
        #expect(made.count > ClusterStore.eventsKept)
        let kept = try await cluster.events(limit: 2 * ClusterStore.eventsKept)
        #expect(kept.count == ClusterStore.eventsKept)
        #expect(kept.last == made.last)
    }

    @Test func eventsAreKeptInOrder() async throws {
        let store = try StorePath()
        try await Self.rolledOut(SimulatedCluster(path: store.path))
        let events = try await SimulatedCluster(path: store.path).events(limit: 1000)
        #expect(events.first?.reason == "ScalingReplicaSet")
        #expect(events.map(\.time) == events.map(\.time).sorted())
        #expect(try await SimulatedCluster(path: store.path).events(limit: 2).count == 2)
    }

    @Test func scalingBehindTheReconcilersBackIsKept() async throws {
        let store = try StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        try await Self.rolledOut(cluster)
        try await cluster.scale("web", replicas: 3)
        _ = try await cluster.advanceUntilSettled(maxSeconds: 60)
        let reopened = try await SimulatedCluster(path: store.path).snapshot
        #expect(reopened.deployment("web")?.spec.replicas == 3)
        #expect(reopened.pods(of: "web").count == 3)
    }

    @Test func settingAnImageRollsOutAndSettingItBackReusesTheOldReplicaSet() async throws {
        let store = try StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        try await Self.rolledOut(cluster)
        let original = try #require(try await cluster.snapshot.replicaSets(of: "web").first)
        try await cluster.setImage("web", container: "web", image: "web:drifted")
        #expect(try await cluster.advanceUntilSettled(maxSeconds: 300).settled)
        #expect(try await cluster.snapshot.replicaSets(of: "web").count == 2)
        try await cluster.setImage("web", container: "web", image: "web:1")
        #expect(try await cluster.advanceUntilSettled(maxSeconds: 300).settled)
        let sets = try await cluster.snapshot.replicaSets(of: "web")
        #expect(sets.count == 2, "the original template maps back to its ReplicaSet")
        #expect(sets.first { $0.name == original.name }?.spec.replicas == 10)
        await #expect(throws: SimulatorError.containerNotFound(container: "app", available: ["web"])) {
            try await cluster.setImage("web", container: "app", image: "x")
        }
    }

    @Test func aLongAdvanceLetsAnotherWriterInMeanwhile() async throws {
        let store = try StorePath()
        let clock = try SimulatedCluster(path: store.path)
        try await clock.addFault(.neverReady, image: "web:stuck")
        for index in 0..<40 {
            try await clock.apply(Fixtures.spec(replicas: 10, image: "web:stuck"), name: "web-\(index)")
        }
        // Another process's writer, on a thread of its own: once the clock has started moving, it
        // takes the write lock and must get it while the advance still runs.
        let written = Mutex<ContinuousClock.Instant?>(nil)
        let path = store.path
        Thread.detachNewThread {
            do {
                var configuration = Configuration()
                configuration.busyMode = .timeout(30)
                let other = try DatabaseQueue(path: path, configuration: configuration)
                let epoch = Data(Time.clusterEpoch.json.canonicalJSON)
                while try other.read({ try Data.fetchOne($0, sql: "SELECT value FROM setting WHERE key = 'now'") })
                    ?? epoch == epoch
                {
                    Thread.sleep(forTimeInterval: 0.005)
                }
                try other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE; COMMIT") }
                written.withLock { $0 = ContinuousClock.now }
            } catch {
                Issue.record("the other writer failed: \(error)")
            }
        }
        _ = try await clock.advance(maxSeconds: 1000) { _ in false }
        let advanced = ContinuousClock.now
        let write = try #require(written.withLock { $0 }, "the other writer never got the lock")
        #expect(write < advanced, "the other writer waited until the advance of 1,000 simulated seconds was done")
        #expect(try await clock.snapshot.now.secondsSinceClusterEpoch == 1000)
    }

    @Test func aCrashLoopingImageMatchedByAPatternFailsTheRollout() async throws {
        let store = try StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        try await Self.rolledOut(cluster)
        try await cluster.addFault(.crashLoop, image: "web:2*")
        var spec = Fixtures.spec(replicas: 10, image: "web:2.0.1", readinessDelay: 2)
        spec.progressDeadlineSeconds = 30
        try await cluster.apply(spec, name: "web")
        let outcome = try await cluster.advanceUntilSettled(maxSeconds: 300)
        #expect(outcome.settled)
        let web = try #require(try await cluster.snapshot.deployment("web"))
        #expect(web.status.conditions.contains { $0.reason == DeploymentCondition.Reason.progressDeadlineExceeded })
        #expect(web.status.availableReplicas >= 8, "maxUnavailable 25% of 10 keeps 8 old pods serving")
        #expect(try await SimulatedCluster(path: store.path).snapshot.faults.faultsByImage["web:2*"] == .crashLoop)
        #expect(try await cluster.removeFault(image: "web:2*"))
        #expect(try await !cluster.removeFault(image: "web:2*"))
    }

    @Test func aKilledPodIsReplaced() async throws {
        let store = try StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        try await Self.rolledOut(cluster)
        let victim = try #require(try await cluster.snapshot.pods(of: "web").first)
        try await cluster.killPod(victim.name)
        #expect(try await cluster.snapshot.pods(of: "web").count == 9)
        try await cluster.advance(seconds: 1)
        let pods = try await cluster.snapshot.pods(of: "web")
        #expect(pods.count == 10)
        #expect(!pods.contains { $0.name == victim.name })
        await #expect(throws: SimulatorError.podNotFound(namespace: "default", name: victim.name)) {
            try await cluster.killPod(victim.name)
        }
    }

    /// Saving writes only what a change touched; reading the file back must still give the whole
    /// cluster, row for row, after every kind of change: a new Deployment between others, a
    /// rollout, a killed pod, a Deployment deleted with what it owns.
    @Test func theFileHoldsExactlyWhatWasSavedAfterEveryKindOfChange() async throws {
        let store = try StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        func reopenedEqualsTheWriter() async throws {
            let snapshot = try await cluster.snapshot
            #expect(try await SimulatedCluster(path: store.path).snapshot == snapshot)
            // Rows of objects gone would not show in the snapshot read back (their owner is gone): count them.
            let rows = try await DatabaseQueue(path: store.path).read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM object")
            }
            #expect(rows == snapshot.deployments.count + snapshot.replicaSets.count + snapshot.pods.count)
        }
        for (name, namespace) in [("web", "default"), ("api", "backend"), ("web-api", "default")] {
            try await cluster.apply(Fixtures.spec(replicas: 3, readinessDelay: 1), name: name, namespace: namespace)
            try await cluster.advance(seconds: 2)
            try await reopenedEqualsTheWriter()
        }
        try await cluster.setImage("web", container: "web", image: "web:2")
        try await cluster.advance(seconds: 1)
        try await reopenedEqualsTheWriter()
        #expect(try await cluster.advanceUntilSettled(maxSeconds: 60).settled)
        try await reopenedEqualsTheWriter()
        try await cluster.killPod(try #require(try await cluster.snapshot.pods(of: "web-api").first).name)
        try await reopenedEqualsTheWriter()
        let deleted = try await cluster.transact(for: "test", deployments: [], plainObjects: []) { cluster, _ in
            cluster.deleteDeployment("web")
        }
        #expect(deleted)
        try await reopenedEqualsTheWriter()
        let reopened = try await SimulatedCluster(path: store.path).snapshot
        #expect(reopened.deployments.map(\.name) == ["api", "web-api"])
        #expect(reopened.replicaSets.allSatisfy { $0.owner != "web" })
        #expect(reopened.pods.count == 5, "api 3, web-api 2: its killed pod is replaced on the next sync")
    }

    @Test func unknownDeploymentsAreNamed() async throws {
        let store = try StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        await #expect(throws: SimulatorError.deploymentNotFound(namespace: "prod", name: "api")) {
            try await cluster.scale("api", namespace: "prod", replicas: 2)
        }
    }

    @Test func resetEmptiesTheStore() async throws {
        let store = try StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        try await Self.rolledOut(cluster)
        try await cluster.addFault(.neverReady, image: "x")
        try await cluster.reset()
        let reopened = try SimulatedCluster(path: store.path)
        #expect(try await reopened.snapshot == SimCluster())
        #expect(try await reopened.events().isEmpty)
    }
}

/// Review findings, each pinned by a test.
struct SimulatedClusterConsistencyTests {
    @Test func settlingAfterAKillWaitsForTheReplacementToBeAvailable() async throws {
        let store = try SimulatedClusterTests.StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        try await SimulatedClusterTests.rolledOut(cluster)
        let victim = try #require(try await cluster.snapshot.pods(of: "web").first)
        try await cluster.killPod(victim.name)
        let settling = try await cluster.advanceUntilSettled(maxSeconds: 60)
        #expect(settling.seconds > 1, "readiness takes 2 s")
        let snapshot = try await cluster.snapshot
        let pods = snapshot.pods(of: "web")
        #expect(pods.count == 10 && pods.allSatisfy { $0.isAvailable(minReadySeconds: 0, at: snapshot.now) })
    }

    @Test func settlingNeverStopsOnAStaleDeadlineCondition() async throws {
        let store = try SimulatedClusterTests.StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        try await SimulatedClusterTests.rolledOut(cluster)
        try await cluster.addFault(.neverReady, image: "web:bad")
        var broken = Fixtures.spec(replicas: 10, image: "web:bad", readinessDelay: 2)
        broken.progressDeadlineSeconds = 20
        try await cluster.apply(broken, name: "web")
        #expect(try await cluster.advanceUntilSettled(maxSeconds: 300).settled)
        try await cluster.apply(Fixtures.spec(replicas: 10, image: "web:fixed", readinessDelay: 2), name: "web")
        let fixed = try await cluster.advanceUntilSettled(maxSeconds: 300)
        #expect(fixed.seconds > 1)
        #expect(try await cluster.snapshot.deployment("web")?.status.updatedReplicas == 10)
    }
}
