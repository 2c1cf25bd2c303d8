import Foundation
import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Whole rollouts, second by second: conditions, faults, pausing, recreate, history and rollback.
struct ClusterScenarioTests {
    /// A cluster whose Deployment `web` completed its first rollout of `spec`.
    static func settled(_ spec: DeploymentSpec, faults: FaultPlan = FaultPlan()) -> SimCluster {
        var cluster = SimCluster(faults: faults)
        cluster.apply(spec, name: "web")
        let settled = Fixtures.run(cluster, forAtMost: 200, until: Fixtures.complete()).cluster
        #expect(Fixtures.complete()(settled))
        return settled
    }

    @Test func rolloutReportsUpstreamConditionsAndRevisions() throws {
        var cluster = Self.settled(Fixtures.spec(replicas: 3))
        var deployment = try #require(cluster.deployment("web"))
        #expect(deployment.revision == 1)
        #expect(deployment.status.condition(.available)?.reason == "MinimumReplicasAvailable")
        #expect(deployment.status.condition(.progressing)?.reason == "NewReplicaSetAvailable")

        cluster.apply(Fixtures.spec(replicas: 3, image: "web:2", readinessDelay: 2), name: "web")
        var reasons: [String] = []
        let run = Fixtures.run(cluster, forAtMost: 200, until: Fixtures.complete()) { cluster in
            let reason = cluster.deployment("web")?.status.condition(.progressing)?.reason ?? ""
            if reasons.last != reason { reasons.append(reason) }
        }
        cluster = run.cluster
        #expect(reasons == ["NewReplicaSetCreated", "ReplicaSetUpdated", "NewReplicaSetAvailable"])
        deployment = try #require(cluster.deployment("web"))
        #expect(deployment.revision == 2)
        #expect(deployment.status.observedGeneration == 2)
        let replicaSets = cluster.replicaSets(of: "web")
        #expect(replicaSets.map(\.spec.replicas) == [0, 3])
        #expect(replicaSets.map(\.revision) == [1, 2])
        #expect(
            replicaSets[1].name
                == "web-\(PodTemplateHash.compute(cluster.deployment("web")!.spec.template, collisionCount: nil))")
        #expect(
            cluster.pods(of: "web").allSatisfy {
                $0.owner == replicaSets[1].name && $0.isAvailable(minReadySeconds: 0, at: cluster.now)
            })
        #expect(
            run.events.contains { $0.reason == "ScalingReplicaSet" && $0.message.hasPrefix("Scaled down replica set") })
    }

    @Test func aNeverReadyImageExceedsTheProgressDeadlineWithoutLosingAvailability() throws {
        let faults = FaultPlan(faultsByImage: ["web:2": .neverReady])
        var cluster = Self.settled(Fixtures.spec(replicas: 4, progressDeadlineSeconds: 30), faults: faults)
        cluster.apply(Fixtures.spec(replicas: 4, image: "web:2", progressDeadlineSeconds: 30), name: "web")
        var timedOutAt: Time?
        cluster =
            Fixtures.run(
                cluster, forAtMost: 60,
                everySecond: { cluster in
                    let available = cluster.pods(of: "web").count {
                        $0.isAvailable(minReadySeconds: 0, at: cluster.now)
                    }
                    #expect(available >= 3)
                    if timedOutAt == nil,
                        cluster.deployment("web")?.status.condition(.progressing)?.reason == "ProgressDeadlineExceeded"
                    {
                        timedOutAt = cluster.now
                    }
                }
            ).cluster
        let deployment = try #require(cluster.deployment("web"))
        let progressing = try #require(deployment.status.condition(.progressing))
        #expect(progressing.status == .false)
        // The last progress was the new pods' creation at t+1 after the change; 30 s later is not yet past it.
        let startedAt = try #require(cluster.replicaSets(of: "web").last?.createdAt)
        #expect(timedOutAt.map { $0.secondsSinceClusterEpoch - startedAt.secondsSinceClusterEpoch } ?? 0 > 30)
        #expect(deployment.status.condition(.available)?.status == .true)
        #expect(cluster.pods(of: "web").count == 5)
    }

    @Test func crashLoopingPodsCountRestartsWithBackOff() {
        let faults = FaultPlan(faultsByImage: ["web:1": .crashLoop])
        var cluster = SimCluster(faults: faults)
        cluster.apply(Fixtures.spec(replicas: 1), name: "web")
        cluster = cluster.step(to: Time.clusterEpoch.adding(76)).cluster
        let pod = cluster.pods(of: "web")[0]
        // Created at t+1; restarts 10, 30 and 70 seconds later.
        #expect(pod.restartCount == 3)
        #expect(!pod.isReady)
        #expect(pod.status.phase == .running)
    }

    @Test func slowStartDelaysReadinessAndMinReadySecondsDelaysAvailability() {
        let faults = FaultPlan(faultsByImage: ["web:1": .slowStart(seconds: 4)])
        var cluster = SimCluster(faults: faults)
        cluster.apply(Fixtures.spec(replicas: 1, minReadySeconds: 3, readinessDelay: 2), name: "web")
        cluster = cluster.step(to: Time.clusterEpoch.adding(20)).cluster
        let pod = cluster.pods(of: "web")[0]
        #expect(pod.createdAt == Time.clusterEpoch.adding(1))
        #expect(pod.readySince == Time.clusterEpoch.adding(7))
        #expect(!pod.isAvailable(minReadySeconds: 3, at: Time.clusterEpoch.adding(9)))
        #expect(pod.isAvailable(minReadySeconds: 3, at: Time.clusterEpoch.adding(10)))
        #expect(cluster.replicaSets(of: "web")[0].status.availableReplicas == 1)
    }

    @Test func aPausedDeploymentDoesNotRollOutUntilResumed() throws {
        var cluster = Self.settled(Fixtures.spec(replicas: 2, progressDeadlineSeconds: 10))
        cluster.apply(
            Fixtures.spec(replicas: 2, image: "web:2", progressDeadlineSeconds: 10, paused: true), name: "web")
        cluster = cluster.step(to: cluster.now.adding(30)).cluster
        #expect(cluster.replicaSets(of: "web").count == 1)
        #expect(cluster.deployment("web")?.status.condition(.progressing)?.reason == "DeploymentPaused")
        #expect(cluster.deployment("web")?.status.condition(.progressing)?.status == .unknown)

        // Thirty paused seconds do not count against the 10-second deadline. (DeploymentResumed is written and
        // replaced by NewReplicaSetCreated within the same sync, as upstream.)
        cluster.apply(Fixtures.spec(replicas: 2, image: "web:2", progressDeadlineSeconds: 10), name: "web")
        var reasons: [String] = []
        cluster =
            Fixtures.run(cluster, forAtMost: 100, until: Fixtures.complete()) { cluster in
                let reason = cluster.deployment("web")?.status.condition(.progressing)?.reason ?? ""
                if reasons.last != reason { reasons.append(reason) }
            }.cluster
        #expect(reasons == ["NewReplicaSetCreated", "ReplicaSetUpdated", "NewReplicaSetAvailable"])
        #expect(cluster.replicaSets(of: "web").map(\.spec.replicas) == [0, 2])
    }

    @Test func recreateStopsEveryOldPodBeforeStartingNewOnes() {
        func recreate(_ image: String) -> DeploymentSpec {
            var spec = Fixtures.spec(replicas: 3, image: image, readinessDelay: 1)
            spec.strategy = .recreate
            return spec
        }
        var cluster = Self.settled(recreate("web:1"))
        cluster.apply(recreate("web:2"), name: "web")
        cluster =
            Fixtures.run(cluster, forAtMost: 100, until: Fixtures.complete()) { cluster in
                let owners = Set(cluster.pods(of: "web").map(\.owner))
                #expect(owners.count <= 1)
            }.cluster
        #expect(Fixtures.complete()(cluster))
        #expect(cluster.deployment("web")?.revision == 2)
    }

    @Test func revisionHistoryLimitKeepsOnlyThatManyOldReplicaSets() {
        var cluster = Self.settled(Fixtures.spec(replicas: 2, revisionHistoryLimit: 2))
        for version in 2...5 {
            cluster.apply(Fixtures.spec(replicas: 2, image: "web:\(version)", revisionHistoryLimit: 2), name: "web")
            cluster = Fixtures.run(cluster, forAtMost: 100, until: Fixtures.complete()).cluster
            cluster = cluster.step(to: cluster.now.adding(2)).cluster
        }
        let replicaSets = cluster.replicaSets(of: "web")
        #expect(replicaSets.map(\.revision) == [3, 4, 5])
        #expect(replicaSets.map(\.spec.template.images) == [["web:3"], ["web:4"], ["web:5"]])
    }

    @Test func rollbackReusesTheOldReplicaSetUnderTheNextRevision() throws {
        var cluster = Self.settled(Fixtures.spec(replicas: 2))
        cluster.apply(Fixtures.spec(replicas: 2, image: "web:2"), name: "web")
        cluster = Fixtures.run(cluster, forAtMost: 100, until: Fixtures.complete()).cluster
        let firstReplicaSet = cluster.replicaSets(of: "web")[0].name

        let event = try cluster.rollback("web")
        #expect(event.reason == "DeploymentRollback")
        #expect(event.message == "Rolled back deployment \"web\" to revision 1")
        cluster = Fixtures.run(cluster, forAtMost: 100, until: Fixtures.complete()).cluster

        let replicaSets = cluster.replicaSets(of: "web")
        #expect(replicaSets.count == 2)
        #expect(replicaSets[0].name == firstReplicaSet)
        #expect(replicaSets[0].revision == 3)
        #expect(replicaSets[0].annotations[RevisionAnnotations.revisionHistory] == "1")
        #expect(replicaSets[0].spec.replicas == 2)
        #expect(cluster.deployment("web")?.revision == 3)

        let unchanged = try cluster.rollback("web", toRevision: 3)
        #expect(unchanged.reason == "DeploymentRollbackTemplateUnchanged")
        #expect(throws: SimulatorError.revisionNotFound(deployment: "web", revision: 9)) {
            try cluster.rollback("web", toRevision: 9)
        }
    }

    @Test func scalingMidRolloutSpreadsReplicasProportionally() throws {
        let faults = FaultPlan(faultsByImage: ["web:2": .neverReady])
        let spec = { (replicas: Int, image: String) in
            Fixtures.spec(replicas: replicas, image: image, maxSurge: .count(3), maxUnavailable: .count(2))
        }
        var cluster = Self.settled(spec(10, "web:1"), faults: faults)
        cluster.apply(spec(10, "web:2"), name: "web")
        cluster = cluster.step(to: cluster.now.adding(10)).cluster
        // Stuck: the old ReplicaSet at minAvailable 8, the new one at 5 never-ready pods (13 = 10 + maxSurge).
        #expect(cluster.replicaSets(of: "web").map(\.spec.replicas) == [8, 5])

        cluster.apply(spec(20, "web:2"), name: "web")
        let step = cluster.step(to: cluster.now.adding(1))
        // 13 → 23: old 8 · 23/13 = 14.15 → +6; new 5 · 23/13 = 8.8 → +4 (largest first gets the leftover 0).
        #expect(step.cluster.replicaSets(of: "web").map(\.spec.replicas) == [14, 9])
        #expect(step.events.filter { $0.reason == "ScalingReplicaSet" }.map(\.message).sorted().count == 2)
    }

    @Test func stepsAreDeterministicAndTheClusterRoundTripsThroughJSON() throws {
        var cluster = SimCluster(faults: FaultPlan(faultsByImage: ["web:2": .slowStart(seconds: 2)]))
        cluster.apply(Fixtures.spec(replicas: 5), name: "web")
        cluster.apply(Fixtures.spec(replicas: 2, image: "api:1"), name: "api", namespace: "backend")
        let first = cluster.step(to: Time.clusterEpoch.adding(15))
        var changed = first.cluster
        changed.apply(Fixtures.spec(replicas: 5, image: "web:2"), name: "web")
        let a = changed.step(to: Time.clusterEpoch.adding(60))
        let b = changed.step(to: Time.clusterEpoch.adding(60))
        #expect(a == b)

        let data = try JSONEncoder().encode(a.cluster)
        #expect(try JSONDecoder().decode(SimCluster.self, from: data) == a.cluster)
        let resumed = try JSONDecoder().decode(SimCluster.self, from: try JSONEncoder().encode(changed))
        #expect(resumed.step(to: Time.clusterEpoch.adding(60)) == a)
    }
}
