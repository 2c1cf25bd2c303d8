import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// `kubectl rollout status`, from kubectl's `TestDeploymentStatusViewerStatus` (rollout_status_test.go) plus the
/// error paths of `DeploymentStatusViewer.Status`.
struct RolloutStatusMessageTests {
    struct StatusCase: Sendable, CustomTestStringConvertible {
        let name: String
        let generation: Int
        let specReplicas: Int
        let observedGeneration: Int
        let replicas: Int
        let updatedReplicas: Int
        let availableReplicas: Int
        let message: String
        let done: Bool
        var testDescription: String { name }
    }

    @Test(arguments: [
        StatusCase(
            name: "test1", generation: 0, specReplicas: 1, observedGeneration: 1, replicas: 1, updatedReplicas: 0,
            availableReplicas: 1,
            message: #"Waiting for deployment "foo" rollout to finish: 0 out of 1 new replicas have been updated..."#,
            done: false),
        StatusCase(
            name: "test2", generation: 1, specReplicas: 1, observedGeneration: 1, replicas: 2, updatedReplicas: 1,
            availableReplicas: 2,
            message: #"Waiting for deployment "foo" rollout to finish: 1 old replicas are pending termination..."#,
            done: false),
        StatusCase(
            name: "test3", generation: 1, specReplicas: 2, observedGeneration: 1, replicas: 2, updatedReplicas: 2,
            availableReplicas: 1,
            message: #"Waiting for deployment "foo" rollout to finish: 1 of 2 updated replicas are available..."#,
            done: false),
        StatusCase(
            name: "test4", generation: 1, specReplicas: 2, observedGeneration: 1, replicas: 2, updatedReplicas: 2,
            availableReplicas: 2, message: #"deployment "foo" successfully rolled out"#, done: true),
        StatusCase(
            name: "test5", generation: 2, specReplicas: 2, observedGeneration: 1, replicas: 2, updatedReplicas: 2,
            availableReplicas: 2, message: "Waiting for deployment spec update to be observed...", done: false),
    ])
    func deploymentStatusViewerStatus(_ test: StatusCase) {
        var deployment = Fixtures.deployment("foo", replicas: test.specReplicas)
        deployment.generation = test.generation
        deployment.status.observedGeneration = test.observedGeneration
        deployment.status.replicas = test.replicas
        deployment.status.updatedReplicas = test.updatedReplicas
        deployment.status.availableReplicas = test.availableReplicas
        let status = RolloutStatusMessage(deployment)
        #expect(status == RolloutStatusMessage(message: test.message, done: test.done, failed: false))
    }

    @Test func aTimedOutProgressConditionIsAnError() {
        var deployment = Fixtures.deployment("foo", replicas: 2)
        deployment.status.observedGeneration = 1
        deployment.status.setCondition(
            DeploymentCondition(
                type: .progressing, status: .false, reason: DeploymentCondition.Reason.progressDeadlineExceeded,
                message: #"ReplicaSet "foo-1" has timed out progressing."#, time: Time.clusterEpoch.adding(700)))
        #expect(
            RolloutStatusMessage(deployment)
                == RolloutStatusMessage(
                    message: #"deployment "foo" exceeded its progress deadline"#, done: false, failed: true))
    }

    @Test func theDeadlineIsOnlyJudgedOnceTheSpecIsObserved() {
        var deployment = Fixtures.deployment("foo", replicas: 2)
        deployment.generation = 2
        deployment.status.observedGeneration = 1
        deployment.status.setCondition(
            DeploymentCondition(
                type: .progressing, status: .false, reason: DeploymentCondition.Reason.progressDeadlineExceeded,
                message: "", time: Time.clusterEpoch))
        #expect(RolloutStatusMessage(deployment).message == "Waiting for deployment spec update to be observed...")
        #expect(!RolloutStatusMessage(deployment).failed)
    }

    @Test(arguments: [(0, false), (3, false), (2, true)])
    func aRevisionOtherThanTheRunningOneIsAnError(revision: Int, failed: Bool) {
        var deployment = Fixtures.deployment("foo", replicas: 1)
        deployment.annotations[RevisionAnnotations.revision] = "3"
        deployment.status.observedGeneration = 1
        deployment.status.replicas = 1
        deployment.status.updatedReplicas = 1
        deployment.status.availableReplicas = 1
        let status = RolloutStatusMessage(deployment, revision: revision)
        #expect(status.failed == failed)
        #expect(status.done == !failed)
        if failed {
            #expect(status.message == "desired revision (2) is different from the running revision (3)")
        }
    }

    @Test func aRealRolloutEndsSuccessfullyRolledOut() throws {
        var cluster = SimCluster()
        cluster.apply(Fixtures.spec(replicas: 2, readinessDelay: 3), name: "web")
        #expect(
            RolloutStatusMessage(try #require(cluster.deployment("web"))).message.hasPrefix(
                "Waiting for deployment spec"))
        cluster = Fixtures.run(cluster, forAtMost: 100, until: Fixtures.complete()).cluster
        #expect(
            RolloutStatusMessage(try #require(cluster.deployment("web")))
                == RolloutStatusMessage(
                    message: #"deployment "web" successfully rolled out"#, done: true, failed: false))
    }
}
