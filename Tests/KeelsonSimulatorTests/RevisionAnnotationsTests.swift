import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Annotation bookkeeping from `pkg/controller/deployment/util/deployment_util_test.go`.
struct RevisionAnnotationsTests {
    // TestAnnotationUtils/SetNewReplicaSetAnnotations, deployment_util_test.go: revisions 11 through 20 with a
    // 5-character history limit keep only the last two old revisions.
    @Test func TestSetNewReplicaSetAnnotations() {
        var deployment = Fixtures.deployment(replicas: 1)
        deployment.annotations = [RevisionAnnotations.revision: "1", "kubernetes.io/change-cause": "edit"]
        var replicaSet = Fixtures.replicaSet("foo-1", replicas: 1)
        for index in 10..<20 {
            RevisionAnnotations.setNewReplicaSetAnnotations(
                deployment: deployment, newReplicaSet: &replicaSet, newRevision: index + 1, exists: true,
                historyLimitInCharacters: 5)
            if index >= 12 {
                #expect(replicaSet.annotations[RevisionAnnotations.revisionHistory] == "\(index - 1),\(index)")
            }
            #expect(replicaSet.annotations[RevisionAnnotations.revision] == "\(index + 1)")
        }
        #expect(replicaSet.annotations["kubernetes.io/change-cause"] == "edit")
    }

    /// A lower revision never replaces a higher one, and an unparsable one stops the update.
    @Test func TestSetNewReplicaSetAnnotationsNeverLowersTheRevision() {
        let deployment = Fixtures.deployment(replicas: 1)
        var replicaSet = Fixtures.replicaSet("foo-1", replicas: 1, annotations: [RevisionAnnotations.revision: "7"])
        #expect(
            !RevisionAnnotations.setNewReplicaSetAnnotations(
                deployment: deployment, newReplicaSet: &replicaSet, newRevision: 3, exists: true))
        #expect(replicaSet.revision == 7)
        replicaSet.annotations[RevisionAnnotations.revision] = "seven"
        #expect(
            !RevisionAnnotations.setNewReplicaSetAnnotations(
                deployment: deployment, newReplicaSet: &replicaSet, newRevision: 8, exists: true))
    }

    // TestAnnotationUtils/SetReplicasAnnotations and /IsSaturated, deployment_util_test.go.
    @Test func TestSetReplicasAnnotationsAndIsSaturated() {
        var replicaSet = Fixtures.replicaSet("foo-1", replicas: 1)
        #expect(RevisionAnnotations.setReplicasAnnotations(&replicaSet, desiredReplicas: 10, maxReplicas: 11))
        #expect(replicaSet.annotations[RevisionAnnotations.desiredReplicas] == "10")
        #expect(replicaSet.annotations[RevisionAnnotations.maxReplicas] == "11")

        replicaSet.annotations[RevisionAnnotations.desiredReplicas] = "1"
        replicaSet.status.availableReplicas = 1
        #expect(RolloutRules.isSaturated(Fixtures.deployment(replicas: 1).spec, replicaSet))
        replicaSet.status.availableReplicas = 0
        #expect(!RolloutRules.isSaturated(Fixtures.deployment(replicas: 1).spec, replicaSet))
    }

    struct NeedUpdateCase: Sendable, CustomTestStringConvertible {
        let name: String
        let annotations: [String: String]
        let expected: Bool
        var testDescription: String { name }
    }

    // TestReplicasAnnotationsNeedUpdate, deployment_util_test.go (desired 10, max 20).
    @Test(arguments: [
        NeedUpdateCase(name: "test Annotations nil", annotations: [:], expected: true),
        NeedUpdateCase(
            name: "test desiredReplicas update",
            annotations: [RevisionAnnotations.desiredReplicas: "8", RevisionAnnotations.maxReplicas: "20"],
            expected: true),
        NeedUpdateCase(
            name: "test maxReplicas update",
            annotations: [RevisionAnnotations.desiredReplicas: "10", RevisionAnnotations.maxReplicas: "16"],
            expected: true),
        NeedUpdateCase(
            name: "test needn't update",
            annotations: [RevisionAnnotations.desiredReplicas: "10", RevisionAnnotations.maxReplicas: "20"],
            expected: false),
    ])
    func TestReplicasAnnotationsNeedUpdate(_ test: NeedUpdateCase) {
        let replicaSet = Fixtures.replicaSet("hello", replicas: 0, annotations: test.annotations)
        #expect(
            RevisionAnnotations.replicasAnnotationsNeedUpdate(replicaSet, desiredReplicas: 10, maxReplicas: 20)
                == test.expected)
    }

    /// MaxRevision skips unparsable revisions; LastRevision is the second highest.
    @Test func TestMaxAndLastRevision() {
        let replicaSets =
            [3, 1, 2].map {
                Fixtures.replicaSet("rs-\($0)", replicas: 0, annotations: [RevisionAnnotations.revision: "\($0)"])
            } + [Fixtures.replicaSet("bad", replicas: 0, annotations: [RevisionAnnotations.revision: "x"])]
        #expect(RevisionAnnotations.maxRevision(replicaSets) == 3)
        #expect(RevisionAnnotations.lastRevision(replicaSets) == 2)
        #expect(RevisionAnnotations.maxRevision([]) == 0)
    }
}
