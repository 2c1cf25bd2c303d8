import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// The Progressing condition, from `pkg/controller/deployment/progress_test.go`.
struct ProgressConditionTests {
    enum Prior: Sendable {
        case none, replicaSetUpdated, newReplicaSetAvailable, failedTimedOut
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        var progressDeadlineSeconds: Int? = 60
        var replicas = 3
        /// The Deployment's last status: replicas, updated, available.
        let status: (Int, Int, Int)
        let prior: Prior
        /// Old ReplicaSets: spec replicas, status replicas, available.
        var old: [(Int, Int, Int)] = []
        var new: (Int, Int, Int)?
        /// The expected condition, or `nil` for none.
        var expected: (ConditionStatus, String)?
        var keepsLastUpdate = false
        var keepsLastTransition = false
        var testDescription: String { name }
    }

    static let before = Time.clusterEpoch.adding(100)
    static let now = Time.clusterEpoch.adding(1000)

    // TestSyncRolloutStatus, progress_test.go (a Recreate Deployment named progress-test). Upstream compares its
    // own expected times with testTime rather than the condition's, so its time checks never fail; this port
    // checks the condition's times. Its failedTimedOut condition has zero times; here it carries `before`, so the
    // last case can tell an untouched condition from a rewritten one.
    @Test(arguments: [
        Case(
            name:
                "General: remove Progressing condition and do not estimate progress if deployment has no Progress Deadline",
            progressDeadlineSeconds: nil, status: (2, 2, 2), prior: .replicaSetUpdated, old: [(0, 1, 1)],
            new: (3, 2, 2)),
        Case(
            name: "General: do not estimate progress of deployment with only one active ReplicaSet",
            status: (3, 3, 3), prior: .newReplicaSetAvailable, old: [(3, 3, 3)],
            expected: (.true, "NewReplicaSetAvailable"), keepsLastUpdate: true, keepsLastTransition: true),
        Case(
            name: "DeploymentProgressing: dont update lastTransitionTime if deployment already has Progressing=True",
            status: (2, 2, 2), prior: .replicaSetUpdated, old: [(0, 1, 1)], new: (3, 2, 2),
            expected: (.true, "ReplicaSetUpdated"), keepsLastTransition: true),
        Case(
            name: "DeploymentProgressing: update everything if deployment has Progressing=False", status: (2, 2, 2),
            prior: .failedTimedOut, old: [(0, 1, 1)], new: (3, 2, 2), expected: (.true, "ReplicaSetUpdated")),
        Case(
            name: "DeploymentProgressing: create Progressing condition if it does not exist", status: (2, 2, 2),
            prior: .none, old: [(0, 1, 1)], new: (3, 2, 2), expected: (.true, "ReplicaSetUpdated")),
        Case(
            name: "DeploymentComplete: dont update lastTransitionTime if deployment already has Progressing=True",
            status: (3, 3, 3), prior: .replicaSetUpdated, new: (3, 3, 3), expected: (.true, "NewReplicaSetAvailable"),
            keepsLastTransition: true),
        Case(
            name: "DeploymentComplete: update everything if deployment has Progressing=False", status: (3, 3, 3),
            prior: .failedTimedOut, new: (3, 3, 3), expected: (.true, "NewReplicaSetAvailable")),
        Case(
            name: "DeploymentComplete: create Progressing condition if it does not exist", status: (3, 3, 3),
            prior: .none, new: (3, 3, 3), expected: (.true, "NewReplicaSetAvailable")),
        Case(
            name: "DeploymentComplete: defend against NPE when newRS=nil", replicas: 0, status: (3, 3, 3),
            prior: .replicaSetUpdated, old: [(0, 0, 0)], expected: (.true, "NewReplicaSetAvailable"),
            keepsLastTransition: true),
        Case(
            name: "DeploymentTimedOut: update status if rollout exceeds Progress Deadline", status: (2, 2, 2),
            prior: .replicaSetUpdated, new: (3, 2, 2), expected: (.false, "ProgressDeadlineExceeded")),
        Case(
            name: "DeploymentTimedOut: do not update status if deployment has existing timedOut condition",
            status: (2, 2, 2), prior: .failedTimedOut, new: (3, 2, 2), expected: (.false, "ProgressDeadlineExceeded"),
            keepsLastUpdate: true, keepsLastTransition: true),
    ])
    func TestSyncRolloutStatus(_ test: Case) throws {
        var deployment = Deployment(
            name: "progress-test",
            spec: DeploymentSpec(
                replicas: test.replicas, strategy: .recreate, progressDeadlineSeconds: test.progressDeadlineSeconds,
                template: Fixtures.template()),
            generation: 0)
        deployment.status.replicas = test.status.0
        deployment.status.updatedReplicas = test.status.1
        deployment.status.availableReplicas = test.status.2
        let prior: (ConditionStatus, String)? =
            switch test.prior {
            case .none: nil
            case .replicaSetUpdated: (.true, "ReplicaSetUpdated")
            case .newReplicaSetAvailable: (.true, "NewReplicaSetAvailable")
            case .failedTimedOut: (.false, "ProgressDeadlineExceeded")
            }
        if let prior {
            deployment.status.conditions = [
                DeploymentCondition(
                    type: .progressing, status: prior.0, reason: prior.1, message: "", time: Self.before)
            ]
        }
        func replicaSet(_ name: String, _ counts: (Int, Int, Int)) -> ReplicaSet {
            Fixtures.replicaSet(name, replicas: counts.0, available: counts.2, statusReplicas: counts.1)
        }
        let old = test.old.enumerated().map { replicaSet("bar\($0.offset)", $0.element) }
        let new = test.new.map { replicaSet("foo", $0) }
        let all = old + [new].compactMap { $0 }
        var controller = DeploymentController(deployment: deployment, replicaSets: all, pods: [], now: Self.now)
        controller.syncRolloutStatus(all: all, new: new)

        let condition = controller.deployment.status.condition(.progressing)
        guard let expected = test.expected else {
            #expect(condition == nil)
            return
        }
        let found = try #require(condition)
        #expect(found.status == expected.0)
        #expect(found.reason == expected.1)
        #expect(found.lastUpdateTime == (test.keepsLastUpdate ? Self.before : Self.now))
        #expect(found.lastTransitionTime == (test.keepsLastTransition ? Self.before : Self.now))
    }
}
