import KeelsonKubernetes
import KeelsonManifests
import Testing

@testable import KeelsonSimulator

/// Status counts of 0 are left out, as the API server's `omitempty` does; ReplicaSet `status.replicas` is not.
struct KubectlStatusOmissionTests {
    @Test(arguments: [
        ([0, 0, 0, 0, 0, 0], [String]()),
        ([1, 3, 0, 0, 0, 3], ["observedGeneration", "replicas", "unavailableReplicas"]),
        (
            [2, 4, 3, 2, 2, 1],
            [
                "availableReplicas", "observedGeneration", "readyReplicas", "replicas",
                "unavailableReplicas", "updatedReplicas",
            ]
        ),
    ])
    func zeroDeploymentCountsAreOmitted(counts: [Int], expectedKeys: [String]) {
        var status = DeploymentStatus()
        status.observedGeneration = counts[0]
        status.replicas = counts[1]
        status.updatedReplicas = counts[2]
        status.readyReplicas = counts[3]
        status.availableReplicas = counts[4]
        status.unavailableReplicas = counts[5]
        let deployment = Deployment(name: "web", spec: Fixtures.spec(replicas: 3), status: status)
        #expect(deployment.json["status"]?.objectValue?.keys == expectedKeys)
    }

    @Test(arguments: [
        (ReplicaSetStatus(), ["replicas"]),
        (ReplicaSetStatus(replicas: 2, fullyLabeledReplicas: 2), ["fullyLabeledReplicas", "replicas"]),
        (
            ReplicaSetStatus(replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1),
            ["availableReplicas", "fullyLabeledReplicas", "readyReplicas", "replicas"]
        ),
    ])
    func zeroReplicaSetCountsAreOmittedButReplicasStays(status: ReplicaSetStatus, expectedKeys: [String]) {
        var replicaSet = Fixtures.replicaSet("web-1", replicas: 2)
        replicaSet.status = status
        let json = replicaSet.json
        #expect(json["status"]?.objectValue?.keys == expectedKeys)
        #expect(json["status"]?["replicas"] == .int(status.replicas))
    }

    @Test func collisionCountAppearsOnlyOnceSet() {
        var deployment = Deployment(name: "web", spec: Fixtures.spec(replicas: 1))
        #expect(deployment.json["status"]?["collisionCount"] == nil)
        deployment.status.collisionCount = 0
        #expect(deployment.json["status"]?["collisionCount"] == .int(0))
    }
}
