import Testing

@testable import KeelsonSimulator

/// The simplified ReplicaSet controller and the kubelet's part: pod creation, deletion order and readiness.
struct ReplicaSetControllerTests {
    static func pod(
        _ name: String, created: Int, phase: SimPodPhase = .running, readySince: Int? = nil, restarts: Int = 0
    ) -> SimPod {
        var pod = SimPod(
            name: name, owner: "web-1", images: ["web:1"], readinessDelaySeconds: 0,
            createdAt: SimTime(seconds: created))
        pod.phase = phase
        pod.readySince = readySince.map { SimTime(seconds: $0) }
        pod.restartCount = restarts
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
        let orphan = SimPod(name: "gone-abcde", owner: "gone", images: [], readinessDelaySeconds: 0, createdAt: .epoch)
        let created = ReplicaSetController.sync(
            replicaSets: [replicaSet], pods: [orphan], now: SimTime(seconds: 3), nextPodSerial: &serial)
        #expect(created.pods.map(\.name) == ["web-1-bbbbb", "web-1-bbbbc"])
        #expect(created.events.map(\.reason) == ["SuccessfulCreate", "SuccessfulCreate"])
        #expect(serial == 2)

        var smaller = replicaSet
        smaller.replicas = 1
        let deleted = ReplicaSetController.sync(
            replicaSets: [smaller], pods: created.pods, now: SimTime(seconds: 4), nextPodSerial: &serial)
        // Two pending pods of the same age: the name decides.
        #expect(deleted.pods.map(\.name) == ["web-1-bbbbc"])
        #expect(deleted.events.map(\.message) == ["Deleted pod: web-1-bbbbb"])
    }

    @Test(arguments: [(9, 0), (10, 1), (29, 1), (30, 2), (70, 3), (150, 4), (310, 5), (610, 6), (909, 6), (910, 7)])
    func TestCrashLoopBackOff(elapsed: Int, restarts: Int) {
        #expect(PodLifecycle.crashLoopRestarts(after: elapsed) == restarts)
    }

    @Test func TestClearingAFaultLetsRunningPodsBecomeReady() {
        let pod = SimPod(name: "p", owner: "web-1", images: ["web:1"], readinessDelaySeconds: 1, createdAt: .epoch)
        let broken = FaultPlan(faultsByImage: ["web:1": .neverReady])
        let stuck = PodLifecycle.advance(pod, minReadySeconds: 2, faults: broken, now: SimTime(seconds: 50))
        #expect(!stuck.isReady)
        let healed = PodLifecycle.advance(stuck, minReadySeconds: 2, faults: FaultPlan(), now: SimTime(seconds: 51))
        #expect(healed.readySince == SimTime(seconds: 51))
        #expect(!healed.isAvailable)
        let available = PodLifecycle.advance(healed, minReadySeconds: 2, faults: FaultPlan(), now: SimTime(seconds: 53))
        #expect(available.availableSince == SimTime(seconds: 53))
        let broke = PodLifecycle.advance(available, minReadySeconds: 2, faults: broken, now: SimTime(seconds: 54))
        #expect(!broke.isReady && !broke.isAvailable)
    }
}
