import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Upstream's rolling-update guarantees, checked every simulated second over seeded random Deployments: never more
/// than `replicas + maxSurge` pods, never fewer than `replicas - maxUnavailable` available, and completion within a
/// bound.
struct RolloutGuaranteeTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        let replicas: Int
        let maxSurge: IntOrPercent
        let maxUnavailable: IntOrPercent
        let minReadySeconds: Int
        let readinessDelay: Int
        var testDescription: String {
            "replicas=\(replicas) maxSurge=\(maxSurge) maxUnavailable=\(maxUnavailable) "
                + "minReadySeconds=\(minReadySeconds) readinessDelay=\(readinessDelay)"
        }

        func spec(image: String) -> DeploymentSpec {
            Fixtures.spec(
                replicas: replicas, image: image, maxSurge: maxSurge, maxUnavailable: maxUnavailable,
                minReadySeconds: minReadySeconds, readinessDelay: readinessDelay)
        }

        /// Each round of the rollout replaces at least one pod and takes at most readiness + minReady + 2 seconds
        /// (one second for the controllers to see the new availability, one to act on it).
        var completionBound: Int { (replicas + 2) * (readinessDelay + minReadySeconds + 3) + 5 }
    }

    static let scenarios: [Scenario] = {
        var generator = SplitMix64(seed: 0x6b65_656c_736f_6e)
        func fencepost() -> IntOrPercent {
            Bool.random(using: &generator)
                ? .count(Int.random(in: 0...4, using: &generator))
                : .percent([0, 1, 10, 25, 33, 50, 75, 100].randomElement(using: &generator)!)
        }
        var scenarios: [Scenario] = []
        while scenarios.count < 48 {
            let maxSurge = fencepost()
            let maxUnavailable = fencepost()
            // Validation rejects both written as zero.
            if maxSurge == .count(0) && maxUnavailable == .count(0) { continue }
            scenarios.append(
                Scenario(
                    replicas: Int.random(in: 1...12, using: &generator), maxSurge: maxSurge,
                    maxUnavailable: maxUnavailable, minReadySeconds: Int.random(in: 0...3, using: &generator),
                    readinessDelay: Int.random(in: 0...3, using: &generator)))
        }
        return scenarios
    }()

    @Test(arguments: scenarios)
    func TestRollingUpdateGuarantees(_ scenario: Scenario) throws {
        var cluster = SimCluster()
        cluster.apply(scenario.spec(image: "web:1"), name: "web")
        cluster = Fixtures.run(cluster, forAtMost: scenario.completionBound, until: Fixtures.complete()).cluster
        try #require(Fixtures.complete()(cluster), "the first rollout did not complete")

        let spec = scenario.spec(image: "web:2")
        let maxPods = spec.replicas + RolloutRules.maxSurge(spec)
        let minAvailable = spec.replicas - RolloutRules.maxUnavailable(spec)
        cluster.apply(spec, name: "web")
        var seconds = 0
        cluster =
            Fixtures.run(cluster, forAtMost: scenario.completionBound, until: Fixtures.complete()) { cluster in
                seconds += 1
                let pods = cluster.pods(of: "web")
                #expect(pods.count <= maxPods, "at \(cluster.now)")
                let available = pods.count { $0.isAvailable(minReadySeconds: spec.minReadySeconds, at: cluster.now) }
                #expect(available >= minAvailable, "at \(cluster.now)")
            }.cluster
        #expect(Fixtures.complete()(cluster), "not complete after \(seconds) s")
        #expect(cluster.pods(of: "web").allSatisfy { $0.images == ["web:2"] })
        #expect(cluster.deployment("web")?.status.condition(.progressing)?.reason == "NewReplicaSetAvailable")
    }
}
