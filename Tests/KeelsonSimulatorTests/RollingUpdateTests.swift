import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// The rolling update's scale-up and scale-down rules, from `pkg/controller/deployment/rolling_test.go`.
struct RollingUpdateTests {
    struct NewReplicaSetCase: Sendable, CustomTestStringConvertible {
        let deploymentReplicas: Int
        let maxSurge: Int
        let oldReplicas: Int
        let newReplicas: Int
        let scaleExpected: Bool
        var expectedNewReplicas = 0
        var testDescription: String {
            "replicas=\(deploymentReplicas) maxSurge=\(maxSurge) old=\(oldReplicas) new=\(newReplicas)"
        }
    }

    // TestDeploymentController_reconcileNewReplicaSet, rolling_test.go.
    @Test(arguments: [
        // "Should not scale up."
        NewReplicaSetCase(deploymentReplicas: 10, maxSurge: 0, oldReplicas: 10, newReplicas: 0, scaleExpected: false),
        NewReplicaSetCase(
            deploymentReplicas: 10, maxSurge: 2, oldReplicas: 10, newReplicas: 0, scaleExpected: true,
            expectedNewReplicas: 2),
        NewReplicaSetCase(
            deploymentReplicas: 10, maxSurge: 2, oldReplicas: 5, newReplicas: 0, scaleExpected: true,
            expectedNewReplicas: 7),
        NewReplicaSetCase(deploymentReplicas: 10, maxSurge: 2, oldReplicas: 10, newReplicas: 2, scaleExpected: false),
        // "Should scale down."
        NewReplicaSetCase(
            deploymentReplicas: 10, maxSurge: 2, oldReplicas: 2, newReplicas: 11, scaleExpected: true,
            expectedNewReplicas: 10),
    ])
    func TestReconcileNewReplicaSet(_ test: NewReplicaSetCase) {
        let new = Fixtures.replicaSet("foo-v2", replicas: test.newReplicas, createdAt: 1)
        let old = Fixtures.replicaSet("foo-v1", replicas: test.oldReplicas)
        var controller = Fixtures.controller(
            Fixtures.deployment(replicas: test.deploymentReplicas, maxSurge: .count(test.maxSurge)), [new, old])
        let scaled = controller.reconcileNewReplicaSet(all: [new, old], new: new)
        #expect(scaled == test.scaleExpected)
        #expect(
            controller.replicaSets["foo-v2"]?.spec.replicas
                == (test.scaleExpected ? test.expectedNewReplicas : new.spec.replicas)
        )
        #expect(controller.replicaSets["foo-v1"] == old)
    }

    struct OldReplicaSetsCase: Sendable, CustomTestStringConvertible {
        let note: String
        let deploymentReplicas: Int
        let maxUnavailable: Int
        let oldReplicas: Int
        let newReplicas: Int
        let readyPodsFromOldRS: Int
        let readyPodsFromNewRS: Int
        let scaleExpected: Bool
        let expectedOldReplicas: Int
        var testDescription: String { note }
    }

    // TestDeploymentController_reconcileOldReplicaSets, rolling_test.go. Upstream's loop never compares
    // expectedOldReplicas with the result; this port does.
    @Test(arguments: [
        OldReplicaSetsCase(
            note: "maxUnavailable 0 resolves to 1", deploymentReplicas: 10, maxUnavailable: 0, oldReplicas: 10,
            newReplicas: 0, readyPodsFromOldRS: 10, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 9),
        OldReplicaSetsCase(
            note: "scale down by maxUnavailable", deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10,
            newReplicas: 0, readyPodsFromOldRS: 10, readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 8),
        OldReplicaSetsCase(
            note: "expect unhealthy replicas from old replica sets been cleaned up", deploymentReplicas: 10,
            maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 8, readyPodsFromNewRS: 0,
            scaleExpected: true, expectedOldReplicas: 8),
        OldReplicaSetsCase(
            note: "expect 1 unhealthy replica from old replica sets been cleaned up, and 1 ready pod been scaled down",
            deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 10, newReplicas: 0, readyPodsFromOldRS: 9,
            readyPodsFromNewRS: 0, scaleExpected: true, expectedOldReplicas: 8),
        OldReplicaSetsCase(
            note: "the unavailable pods from the newRS would not make us scale down old RSs in a further step",
            deploymentReplicas: 10, maxUnavailable: 2, oldReplicas: 8, newReplicas: 2, readyPodsFromOldRS: 8,
            readyPodsFromNewRS: 0, scaleExpected: false, expectedOldReplicas: 8),
    ])
    func TestReconcileOldReplicaSets(_ test: OldReplicaSetsCase) {
        let new = Fixtures.replicaSet("foo-new", replicas: test.newReplicas, available: test.readyPodsFromNewRS)
        let old = Fixtures.replicaSet("foo-old", replicas: test.oldReplicas, available: test.readyPodsFromOldRS)
        var controller = Fixtures.controller(
            Fixtures.deployment(replicas: test.deploymentReplicas, maxUnavailable: .count(test.maxUnavailable)),
            [new, old])
        let scaled = controller.reconcileOldReplicaSets(all: [old, new], old: [old], new: new)
        #expect(scaled == test.scaleExpected)
        #expect(controller.replicaSets["foo-old"]?.spec.replicas == test.expectedOldReplicas)
        #expect(controller.replicaSets["foo-new"]?.spec.replicas == test.newReplicas)
    }

    struct CleanupCase: Sendable, CustomTestStringConvertible {
        let oldReplicas: Int
        let readyPods: Int
        let unhealthyPods: Int
        let maxCleanupCount: Int
        let cleanupCountExpected: Int
        var testDescription: String {
            "old=\(oldReplicas) ready=\(readyPods) unhealthy=\(unhealthyPods) maxCleanup=\(maxCleanupCount)"
        }
    }

    // TestDeploymentController_cleanupUnhealthyReplicas, rolling_test.go (10 replicas, surge 2, unavailable 2).
    @Test(arguments: [
        CleanupCase(oldReplicas: 10, readyPods: 8, unhealthyPods: 2, maxCleanupCount: 1, cleanupCountExpected: 1),
        CleanupCase(oldReplicas: 10, readyPods: 8, unhealthyPods: 2, maxCleanupCount: 3, cleanupCountExpected: 2),
        CleanupCase(oldReplicas: 10, readyPods: 8, unhealthyPods: 2, maxCleanupCount: 0, cleanupCountExpected: 0),
        CleanupCase(oldReplicas: 10, readyPods: 10, unhealthyPods: 0, maxCleanupCount: 3, cleanupCountExpected: 0),
    ])
    func TestCleanupUnhealthyReplicas(_ test: CleanupCase) throws {
        let old = Fixtures.replicaSet(
            "foo-v2", replicas: test.oldReplicas, available: test.readyPods,
            statusReplicas: test.readyPods + test.unhealthyPods)
        var controller = Fixtures.controller(
            Fixtures.deployment(replicas: 10, maxSurge: .count(2), maxUnavailable: .count(2)), [old])
        let cleaned = controller.cleanupUnhealthyReplicas([old], maxCleanupCount: test.maxCleanupCount)
        let result = try #require(cleaned)
        #expect(result.count == test.cleanupCountExpected)
        #expect(controller.replicaSets["foo-v2"]?.spec.replicas == test.oldReplicas - test.cleanupCountExpected)
        #expect(result.old.map(\.spec.replicas) == [test.oldReplicas - test.cleanupCountExpected])
    }

    /// Not upstream: a ReplicaSet reporting more available pods than it wants makes upstream return an error,
    /// which stops the scale-down for this sync.
    @Test func TestCleanupUnhealthyReplicasRefusesNegativeCounts() {
        let old = Fixtures.replicaSet("foo-v1", replicas: 2, available: 3)
        var controller = Fixtures.controller(Fixtures.deployment(replicas: 4, maxUnavailable: .count(1)), [old])
        let cleaned = controller.cleanupUnhealthyReplicas([old], maxCleanupCount: 2)
        #expect(cleaned == nil)
    }

    struct ScaleDownCase: Sendable, CustomTestStringConvertible {
        let deploymentReplicas: Int
        let maxUnavailable: Int
        let readyPods: Int
        let oldReplicas: Int
        let scaleExpected: Bool
        var expectedOldReplicas = 0
        var testDescription: String {
            "replicas=\(deploymentReplicas) maxUnavailable=\(maxUnavailable) ready=\(readyPods) old=\(oldReplicas)"
        }
    }

    // TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate, rolling_test.go.
    @Test(arguments: [
        ScaleDownCase(
            deploymentReplicas: 10, maxUnavailable: 0, readyPods: 10, oldReplicas: 10, scaleExpected: true,
            expectedOldReplicas: 9),
        ScaleDownCase(
            deploymentReplicas: 10, maxUnavailable: 2, readyPods: 10, oldReplicas: 10, scaleExpected: true,
            expectedOldReplicas: 8),
        ScaleDownCase(deploymentReplicas: 10, maxUnavailable: 2, readyPods: 8, oldReplicas: 10, scaleExpected: false),
        ScaleDownCase(deploymentReplicas: 10, maxUnavailable: 2, readyPods: 10, oldReplicas: 0, scaleExpected: false),
        ScaleDownCase(deploymentReplicas: 10, maxUnavailable: 2, readyPods: 1, oldReplicas: 10, scaleExpected: false),
    ])
    func TestScaleDownOldReplicaSets(_ test: ScaleDownCase) {
        let old = Fixtures.replicaSet("foo-v2", replicas: test.oldReplicas, available: test.readyPods)
        var controller = Fixtures.controller(
            Fixtures.deployment(replicas: test.deploymentReplicas, maxUnavailable: .count(test.maxUnavailable)), [old])
        let scaled = controller.scaleDownOldReplicaSetsForRollingUpdate(all: [old], old: [old])
        #expect((scaled > 0) == test.scaleExpected)
        let expected = test.scaleExpected ? test.expectedOldReplicas : test.oldReplicas
        #expect(controller.replicaSets["foo-v2"]?.spec.replicas == expected)
    }

    /// Old ReplicaSets are scaled down oldest first.
    @Test func TestScaleDownOldReplicaSetsOldestFirst() {
        let older = Fixtures.replicaSet("foo-v1", replicas: 3, createdAt: 0, available: 3)
        let old = Fixtures.replicaSet("foo-v2", replicas: 3, createdAt: 5, available: 3)
        var controller = Fixtures.controller(Fixtures.deployment(replicas: 4, maxUnavailable: .count(0)), [old, older])
        #expect(controller.scaleDownOldReplicaSetsForRollingUpdate(all: [old, older], old: [old, older]) == 3)
        #expect(controller.replicaSets["foo-v1"]?.spec.replicas == 0)
        #expect(controller.replicaSets["foo-v2"]?.spec.replicas == 3)
    }
}
