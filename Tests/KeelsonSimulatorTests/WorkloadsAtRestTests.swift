import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Workloads at rest are skipped each simulated second; skipping them must change nothing.
struct WorkloadsAtRestTests {
    /// Steps `seconds` one at a time both ways, syncing every workload and skipping settled ones,
    /// and expects the same cluster and events after every second.
    private static func stepBothWays(_ cluster: SimCluster, seconds: Int) -> SimCluster {
        var (skipping, syncingAll) = (cluster, cluster)
        for _ in 0..<seconds {
            let skipped = skipping.step(to: skipping.now.adding(1), skippingAtRest: true)
            let synced = syncingAll.step(to: syncingAll.now.adding(1), skippingAtRest: false)
            #expect(skipped == synced, "at \(skipped.cluster.now)")
            (skipping, syncingAll) = (skipped.cluster, synced.cluster)
        }
        return skipping
    }

    @Test func skippingWorkloadsAtRestChangesNothing() throws {
        var cluster = SimCluster()
        cluster.apply(Fixtures.spec(replicas: 4, readinessDelay: 2, revisionHistoryLimit: 1), name: "web")
        cluster.apply(Fixtures.spec(replicas: 3, image: "api:1", minReadySeconds: 3), name: "api", namespace: "backend")
        cluster.apply(Fixtures.spec(replicas: 2, image: "worker:1"), name: "worker")
        cluster = Self.stepBothWays(cluster, seconds: 20)
        #expect(cluster.workloads.allSatisfy { $0.isAtRest(faults: cluster.faults) })

        // Two rollouts in a row (history cleanup after each), a scale and a killed pod.
        for image in ["web:2", "web:3"] {
            cluster.apply(
                Fixtures.spec(replicas: 4, image: image, readinessDelay: 2, revisionHistoryLimit: 1), name: "web")
            cluster = Self.stepBothWays(cluster, seconds: 15)
        }
        cluster.apply(Fixtures.spec(replicas: 5, image: "api:1", minReadySeconds: 3), name: "api", namespace: "backend")
        try cluster.deletePod(try #require(cluster.pods(of: "worker").first).name)
        cluster = Self.stepBothWays(cluster, seconds: 15)

        // A fault on a running image, a rollback, a paused Deployment.
        cluster.faults.faultsByImage["worker:*"] = .crashLoop
        cluster = Self.stepBothWays(cluster, seconds: 30)
        #expect(cluster.pods(of: "worker").allSatisfy { $0.restartCount > 0 })
        cluster.faults.faultsByImage = [:]
        _ = try cluster.rollback("web")
        cluster.apply(Fixtures.spec(replicas: 2, image: "worker:2", paused: true), name: "worker")
        cluster = Self.stepBothWays(cluster, seconds: 20)
        #expect(cluster.deployment("web")?.spec.template == Fixtures.template("web:2", readinessDelay: 2))
    }
}
