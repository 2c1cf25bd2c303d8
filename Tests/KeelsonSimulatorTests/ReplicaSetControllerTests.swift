import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// The simplified ReplicaSet controller and the kubelet's part: pod creation, deletion order and readiness.
struct ReplicaSetControllerTests {
    static func pod(
        _ name: String, created: Int, phase: PodPhase = .running, readySince: Int? = nil, restarts: Int = 0
    ) -> Pod {
        var pod = Pod(
            name: name, of: Fixtures.replicaSet("web-1", replicas: 1), createdAt: Time.clusterEpoch.adding(created))
        pod.status = PodLifecycle.status(
            of: pod, phase: phase, readySince: readySince.map { Time.clusterEpoch.adding($0) }, restarts: restarts,
            crashLooping: false)
        return pod
    }

    // Upstream's ActivePodsWithRanks order (controller_utils.go), without node, cost and log-bucket rules.
    @Test func TestScaleDownDeletesTheLeastUsefulPodsFirst() {
        let pods = [
            Self.pod("ready-long", created: 0, readySince: 1),
            Self.pod("ready-recently", created: 0, readySince: 5),
            Self.pod("not-ready-restarting", created: 0, restarts: 3),
            Self.pod("not-ready-new", created: 4),
            Self.pod("not-ready-old", created: 1),
            Self.pod("pending", created: 6, phase: .pending),
        ]
        #expect(
            pods.sorted(by: ReplicaSetController.deletedFirst).map(\.name) == [
                "pending", "not-ready-restarting", "not-ready-new", "not-ready-old", "ready-recently", "ready-long",
            ])
    }

    @Test func TestManageReplicasCreatesDeletesAndCollectsOrphans() {
        let replicaSet = Fixtures.replicaSet("web-1", replicas: 2)
        var serial = 0
        let orphan = Pod(name: "gone-abcde", of: Fixtures.replicaSet("gone", replicas: 1), createdAt: .clusterEpoch)
        let created = ReplicaSetController.sync(
            replicaSets: [replicaSet], pods: [orphan], now: Time.clusterEpoch.adding(3), nextPodSerial: &serial)
        #expect(created.pods.map(\.name) == ["web-1-bbbbb", "web-1-bbbbc"])
        #expect(created.events.map(\.reason) == ["SuccessfulCreate", "SuccessfulCreate"])
        #expect(serial == 2)

        var smaller = replicaSet
        smaller.spec.replicas = 1
        let deleted = ReplicaSetController.sync(
            replicaSets: [smaller], pods: created.pods, now: Time.clusterEpoch.adding(4), nextPodSerial: &serial)
        // Two pending pods of the same age: the name decides.
        #expect(deleted.pods.map(\.name) == ["web-1-bbbbc"])
        #expect(deleted.events.map(\.message) == ["Deleted pod: web-1-bbbbb"])
    }

    @Test(arguments: [(9, 0), (10, 1), (29, 1), (30, 2), (70, 3), (150, 4), (310, 5), (610, 6), (909, 6), (910, 7)])
    func TestCrashLoopBackOff(elapsed: Int, restarts: Int) {
        #expect(PodLifecycle.crashLoopRestarts(after: elapsed) == restarts)
    }

    @Test func TestClearingAFaultLetsRunningPodsBecomeReady() {
        let replicaSet = ReplicaSet(
            name: "web-1", owner: "web", podTemplateHash: "1", template: Fixtures.template("web:1", readinessDelay: 1),
            replicas: 1, createdAt: .clusterEpoch)
        let pod = Pod(name: "p", of: replicaSet, createdAt: .clusterEpoch)
        let broken = FaultPlan(faultsByImage: ["web:1": .neverReady])
        let at = { (second: Int) in Time.clusterEpoch.adding(second) }
        let stuck = PodLifecycle.advance(pod, faults: broken, now: at(50))
        #expect(!stuck.isReady)
        let healed = PodLifecycle.advance(stuck, faults: FaultPlan(), now: at(51))
        #expect(healed.readySince == at(51))
        #expect(!healed.isAvailable(minReadySeconds: 2, at: at(52)))
        let available = PodLifecycle.advance(healed, faults: FaultPlan(), now: at(53))
        #expect(available.isAvailable(minReadySeconds: 2, at: at(53)))
        let broke = PodLifecycle.advance(available, faults: broken, now: at(54))
        #expect(!broke.isReady && !broke.isAvailable(minReadySeconds: 2, at: at(54)))
    }
}
