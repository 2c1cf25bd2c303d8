import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Scaling events and history cleanup, from `pkg/controller/deployment/sync_test.go`.
struct ProportionalScalingTests {
    struct ScaleCase: Sendable, CustomTestStringConvertible {
        let name: String
        let replicas: Int
        let oldReplicas: Int
        var maxSurge = 0
        var oldMaxSurge = 0
        var maxUnavailable = 0
        var changedTemplate = false
        /// The new ReplicaSet's replicas, or `nil` for none.
        let new: Int?
        var newAvailable: Int?
        /// Old ReplicaSets' replicas, newest first (created at 1 and 0).
        let old: [Int]
        let expectedNew: Int?
        let expectedOld: [Int]
        var testDescription: String { name }
    }

    // TestScale, sync_test.go. Upstream's "failed rs update" case needs an API error and is left out.
    @Test(arguments: [
        ScaleCase(
            name: "normal scaling event: 10 -> 12", replicas: 12, oldReplicas: 10, new: 10, old: [], expectedNew: 12,
            expectedOld: []),
        ScaleCase(
            name: "normal scaling event: 10 -> 5", replicas: 5, oldReplicas: 10, new: 10, old: [], expectedNew: 5,
            expectedOld: []),
        ScaleCase(
            name: "proportional scaling: 5 -> 10", replicas: 10, oldReplicas: 5, new: 2, old: [3], expectedNew: 4,
            expectedOld: [6]),
        ScaleCase(
            name: "proportional scaling: 5 -> 3", replicas: 3, oldReplicas: 5, new: 2, old: [3], expectedNew: 1,
            expectedOld: [2]),
        ScaleCase(
            name: "proportional scaling: 9 -> 4", replicas: 4, oldReplicas: 9, new: 8, old: [1], expectedNew: 4,
            expectedOld: [0]),
        ScaleCase(
            name: "proportional scaling: 7 -> 10", replicas: 10, oldReplicas: 7, new: 2, old: [3, 2], expectedNew: 3,
            expectedOld: [4, 3]),
        ScaleCase(
            name: "proportional scaling: 13 -> 8", replicas: 8, oldReplicas: 13, new: 2, old: [8, 3], expectedNew: 1,
            expectedOld: [5, 2]),
        // Scales up the new replica set.
        ScaleCase(
            name: "leftover distribution: 3 -> 4", replicas: 4, oldReplicas: 3, new: 1, old: [1, 1], expectedNew: 2,
            expectedOld: [1, 1]),
        // Scales down the older replica set.
        ScaleCase(
            name: "leftover distribution: 3 -> 2", replicas: 2, oldReplicas: 3, new: 1, old: [1, 1], expectedNew: 1,
            expectedOld: [1, 0]),
        // Scales up the latest replica set first.
        ScaleCase(
            name: "proportional scaling (no new rs): 4 -> 5", replicas: 5, oldReplicas: 4, new: nil, old: [2, 2],
            expectedNew: nil, expectedOld: [3, 2]),
        // Scales down to zero.
        ScaleCase(
            name: "proportional scaling: 6 -> 0", replicas: 0, oldReplicas: 6, new: 3, old: [2, 1], expectedNew: 0,
            expectedOld: [0, 0]),
        // Scales up from zero.
        ScaleCase(
            name: "proportional scaling: 0 -> 6", replicas: 6, oldReplicas: 6, new: 0, old: [0, 0], expectedNew: 6,
            expectedOld: [0, 0]),
        ScaleCase(
            name: "deployment with surge pods", replicas: 20, oldReplicas: 10, maxSurge: 2, oldMaxSurge: 2, new: 6,
            old: [6], expectedNew: 11, expectedOld: [11]),
        ScaleCase(
            name: "change both surge and size", replicas: 50, oldReplicas: 10, maxSurge: 6, oldMaxSurge: 3, new: 5,
            old: [8], expectedNew: 22, expectedOld: [34]),
        ScaleCase(
            name: "change both size and template", replicas: 14, oldReplicas: 10, changedTemplate: true, new: nil,
            old: [7, 3], expectedNew: nil, expectedOld: [10, 4]),
        ScaleCase(
            name: "saturated but broken new replica set does not affect old pods", replicas: 2, oldReplicas: 2,
            maxSurge: 1, oldMaxSurge: 1, maxUnavailable: 1, new: 2, newAvailable: 0, old: [1], expectedNew: 2,
            expectedOld: [1]),
    ])
    func TestScale(_ test: ScaleCase) {
        let deployment = Fixtures.deployment(
            replicas: test.replicas, maxSurge: .count(test.maxSurge), maxUnavailable: .count(test.maxUnavailable))
        let oldMaxReplicas = test.oldReplicas + test.oldMaxSurge
        func annotated(_ replicaSet: ReplicaSet) -> ReplicaSet {
            var replicaSet = replicaSet
            RevisionAnnotations.setReplicasAnnotations(
                &replicaSet, desiredReplicas: test.oldReplicas, maxReplicas: oldMaxReplicas)
            return replicaSet
        }
        let new = test.new.map {
            annotated(Fixtures.replicaSet("foo-new", replicas: $0, createdAt: 2, available: test.newAvailable ?? 0))
        }
        let old = test.old.enumerated().map { index, replicas in
            annotated(Fixtures.replicaSet("foo-old\(index)", replicas: replicas, createdAt: 1 - index))
        }
        var controller = Fixtures.controller(deployment, old + [new].compactMap { $0 })
        controller.scale(new: new, old: old)
        #expect(controller.replicaSets["foo-new"]?.spec.replicas == test.expectedNew)
        #expect(old.indices.map { controller.replicaSets["foo-old\($0)"]?.spec.replicas } == test.expectedOld)
    }

    struct CleanupCase: Sendable, CustomTestStringConvertible {
        let name: String
        /// (spec replicas, status replicas) of foo-1, foo-2, ….
        let old: [(Int, Int)]
        let revisionHistoryLimit: Int
        let expectedDeletions: Int
        var testDescription: String { name }
    }

    // TestDeploymentController_cleanupDeployment, sync_test.go. Upstream's "already being deleted" case has no
    // counterpart: simulated deletion is immediate.
    @Test(arguments: [
        CleanupCase(
            name: "three empty, limit 1", old: [(0, 0), (0, 0), (0, 0)], revisionHistoryLimit: 1, expectedDeletions: 2),
        CleanupCase(
            name: "Only delete the replica set with Spec.Replicas = Status.Replicas = 0.",
            old: [(0, 0), (0, 1), (1, 0), (1, 1)], revisionHistoryLimit: 0, expectedDeletions: 1),
        CleanupCase(name: "two empty, limit 0", old: [(0, 0), (0, 0)], revisionHistoryLimit: 0, expectedDeletions: 2),
        CleanupCase(name: "two busy, limit 0", old: [(1, 1), (1, 1)], revisionHistoryLimit: 0, expectedDeletions: 0),
        CleanupCase(
            name: "with unlimited revisionHistoryLimit", old: [(0, 0), (0, 0), (0, 0)],
            revisionHistoryLimit: Int(Int32.max), expectedDeletions: 0),
    ])
    func TestCleanupDeployment(_ test: CleanupCase) {
        let old = test.old.enumerated().map { index, counts in
            Fixtures.replicaSet("foo-\(index + 1)", replicas: counts.0, statusReplicas: counts.1)
        }
        var controller = Fixtures.controller(
            Fixtures.deployment(replicas: 1, revisionHistoryLimit: test.revisionHistoryLimit), old)
        controller.cleanupDeployment(old)
        #expect(old.count - controller.replicaSets.count == test.expectedDeletions)
    }

    /// Cleanup deletes the lowest revisions first.
    @Test func TestCleanupDeploymentDeletesLowestRevisionsFirst() {
        let old = [3, 1, 2].map {
            Fixtures.replicaSet("foo-r\($0)", replicas: 0, annotations: [RevisionAnnotations.revision: "\($0)"])
        }
        var controller = Fixtures.controller(Fixtures.deployment(replicas: 1, revisionHistoryLimit: 1), old)
        controller.cleanupDeployment(old)
        #expect(controller.replicaSets.keys.sorted() == ["foo-r3"])
    }
}
