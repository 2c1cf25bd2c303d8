import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Finding, adopting and creating the new ReplicaSet (upstream `getNewReplicaSet` in `sync.go`).
struct NewReplicaSetTests {
    @Test func TestNameCollisionBumpsCollisionCountAndRetries() throws {
        let deployment = Fixtures.deployment(replicas: 2, maxSurge: .count(1), progressDeadlineSeconds: 600)
        let hash = PodTemplateHash.compute(deployment.spec.template, collisionCount: nil)
        // Another template under the name the new ReplicaSet would take.
        let squatter = Fixtures.replicaSet("foo-\(hash)", replicas: 0, podTemplateHash: hash)

        let first = DeploymentController.sync(
            deployment, replicaSets: [squatter], pods: [], now: Time.clusterEpoch.adding(1))
        #expect(first.deployment.status.collisionCount == 1)
        #expect(first.replicaSets == [squatter])

        let second = DeploymentController.sync(
            first.deployment, replicaSets: first.replicaSets, pods: [], now: Time.clusterEpoch.adding(2))
        let new = try #require(second.replicaSets.first { $0.name != squatter.name })
        #expect(new.podTemplateHash == PodTemplateHash.compute(deployment.spec.template, collisionCount: 1))
        #expect(new.spec.replicas == 2)
        #expect(new.revision == 1)
        #expect(second.deployment.status.condition(.progressing)?.reason == "NewReplicaSetCreated")
        #expect(second.events.map(\.message) == ["Scaled up replica set \(new.name) to 2"])
    }

    @Test func TestExistingNewReplicaSetTakesTheNextRevisionAndTheDeploymentFollows() throws {
        var deployment = Fixtures.deployment(replicas: 1, progressDeadlineSeconds: 600)
        deployment.annotations["kubernetes.io/change-cause"] = "undo"
        var adopted = Fixtures.replicaSet("foo-a", replicas: 1, createdAt: 0, available: 1, statusReplicas: 1)
        adopted.spec.template = deployment.spec.template
        adopted.annotations[RevisionAnnotations.revision] = "1"
        let newer = Fixtures.replicaSet(
            "foo-b", replicas: 0, createdAt: 1, annotations: [RevisionAnnotations.revision: "2"])

        // isScalingEvent's pass updates the ReplicaSet and stops there, as upstream; the rollout's pass then sees the
        // update and copies the revision to the Deployment.
        let first = DeploymentController.sync(
            deployment, replicaSets: [adopted, newer], pods: [], now: Time.clusterEpoch.adding(5))
        let updated = try #require(first.replicaSets.first { $0.name == "foo-a" })
        #expect(updated.revision == 3)
        #expect(updated.annotations[RevisionAnnotations.revisionHistory] == "1")
        #expect(updated.annotations["kubernetes.io/change-cause"] == "undo")
        #expect(first.deployment.revision == 3)
        #expect(first.deployment.status.condition(.progressing)?.reason == "NewReplicaSetAvailable")
    }
}
