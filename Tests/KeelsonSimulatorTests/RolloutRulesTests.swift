import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Rollout predicates and replica arithmetic from `pkg/controller/deployment/util/deployment_util_test.go`.
struct RolloutRulesTests {
    struct NewReplicasCase: Sendable, CustomTestStringConvertible {
        let name: String
        let recreate: Bool
        let deploymentReplicas: Int
        let newReplicaSetReplicas: Int
        let maxSurge: Int
        let expected: Int
        var testDescription: String { name }
    }

    // TestNewRSNewReplicas, deployment_util_test.go: allRSs holds only a 5-replica ReplicaSet, maxUnavailable 1.
    @Test(arguments: [
        NewReplicasCase(
            name: "can not scale up - to newRSReplicas", recreate: false, deploymentReplicas: 1,
            newReplicaSetReplicas: 5, maxSurge: 1, expected: 5),
        NewReplicasCase(
            name: "scale up - to depReplicas", recreate: false, deploymentReplicas: 6, newReplicaSetReplicas: 2,
            maxSurge: 10, expected: 6),
        NewReplicasCase(
            name: "recreate - to depReplicas", recreate: true, deploymentReplicas: 3, newReplicaSetReplicas: 1,
            maxSurge: 1, expected: 3),
    ])
    func TestNewRSNewReplicas(_ test: NewReplicasCase) {
        let spec = DeploymentSpec(
            replicas: test.deploymentReplicas,
            strategy: test.recreate
                ? .recreate : .rollingUpdate(maxSurge: .count(test.maxSurge), maxUnavailable: .count(1)),
            template: Fixtures.template())
        let replicas = RolloutRules.newReplicaSetReplicas(
            spec, allReplicaSets: [Fixtures.replicaSet("rs5", replicas: 5)],
            newReplicaSet: Fixtures.replicaSet("new", replicas: test.newReplicaSetReplicas))
        #expect(replicas == test.expected)
    }

    struct CompleteCase: Sendable, CustomTestStringConvertible {
        let name: String
        let desired, current, updated, available, maxUnavailable, maxSurge: Int
        let expected: Bool
        var testDescription: String { name }
    }

    // TestDeploymentComplete, deployment_util_test.go.
    @Test(arguments: [
        CompleteCase(
            name: "not complete: min but not all pods become available", desired: 5, current: 5, updated: 5,
            available: 4, maxUnavailable: 1, maxSurge: 0, expected: false),
        CompleteCase(
            name: "not complete: min availability is not honored", desired: 5, current: 5, updated: 5, available: 3,
            maxUnavailable: 1, maxSurge: 0, expected: false),
        CompleteCase(
            name: "complete", desired: 5, current: 5, updated: 5, available: 5, maxUnavailable: 0, maxSurge: 0,
            expected: true),
        CompleteCase(
            name: "not complete: all pods are available but not updated", desired: 5, current: 5, updated: 4,
            available: 5, maxUnavailable: 0, maxSurge: 0, expected: false),
        CompleteCase(
            name: "not complete: still running old pods", desired: 1, current: 2, updated: 1, available: 1,
            maxUnavailable: 0, maxSurge: 1, expected: false),
        CompleteCase(
            name: "not complete: one replica deployment never comes up", desired: 1, current: 1, updated: 1,
            available: 0, maxUnavailable: 1, maxSurge: 1, expected: false),
    ])
    func TestDeploymentComplete(_ test: CompleteCase) {
        var deployment = Fixtures.deployment(
            replicas: test.desired, maxSurge: .count(test.maxSurge), maxUnavailable: .count(test.maxUnavailable))
        deployment.generation = 0
        deployment.status.replicas = test.current
        deployment.status.updatedReplicas = test.updated
        deployment.status.availableReplicas = test.available
        #expect(RolloutRules.deploymentComplete(deployment, deployment.status) == test.expected)
    }

    /// A status that has not caught up with the latest generation is never complete.
    @Test func TestDeploymentCompleteWaitsForObservedGeneration() {
        var deployment = Fixtures.deployment(replicas: 2)
        deployment.generation = 3
        deployment.status.replicas = 2
        deployment.status.updatedReplicas = 2
        deployment.status.availableReplicas = 2
        deployment.status.observedGeneration = 2
        #expect(!RolloutRules.deploymentComplete(deployment, deployment.status))
        deployment.status.observedGeneration = 3
        #expect(RolloutRules.deploymentComplete(deployment, deployment.status))
    }

    struct ProgressingCase: Sendable, CustomTestStringConvertible {
        let name: String
        let old: [Int]
        let new: [Int]
        let expected: Bool
        var testDescription: String { name }
    }

    // TestDeploymentProgressing, deployment_util_test.go: (current, updated, ready, available) before and after.
    @Test(arguments: [
        ProgressingCase(name: "progressing: updated pods", old: [10, 4, 4, 4], new: [10, 6, 4, 4], expected: true),
        ProgressingCase(name: "not progressing", old: [10, 4, 4, 4], new: [10, 4, 4, 4], expected: false),
        ProgressingCase(name: "progressing: old pods removed", old: [10, 4, 6, 6], new: [8, 4, 6, 6], expected: true),
        ProgressingCase(
            name: "not progressing: less new pods", old: [10, 7, 3, 3], new: [10, 6, 3, 3], expected: false),
        ProgressingCase(
            name: "progressing: less overall but more new pods", old: [10, 4, 7, 7], new: [8, 8, 5, 5], expected: true),
        ProgressingCase(
            name: "progressing: more ready pods", old: [10, 10, 9, 8], new: [10, 10, 10, 8], expected: true),
        ProgressingCase(
            name: "progressing: more available pods", old: [10, 10, 10, 9], new: [10, 10, 10, 10], expected: true),
    ])
    func TestDeploymentProgressing(_ test: ProgressingCase) {
        func status(_ counts: [Int]) -> DeploymentStatus {
            var status = DeploymentStatus()
            status.replicas = counts[0]
            status.updatedReplicas = counts[1]
            status.readyReplicas = counts[2]
            status.availableReplicas = counts[3]
            return status
        }
        var deployment = Fixtures.deployment(replicas: 10)
        deployment.status = status(test.old)
        #expect(RolloutRules.deploymentProgressing(deployment, status(test.new)) == test.expected)
    }

    struct TimedOutCase: Sendable, CustomTestStringConvertible {
        let name: String
        let reason: String
        let progressDeadlineSeconds: Int?
        let lastUpdate: Int
        let now: Int
        let expected: Bool
        var testDescription: String { name }
    }

    // TestDeploymentTimedOut, deployment_util_test.go; upstream's 00:01:09 is second 69 here.
    @Test(arguments: [
        TimedOutCase(
            name: "no progressDeadlineSeconds specified - no timeout", reason: "", progressDeadlineSeconds: nil,
            lastUpdate: 69, now: 80, expected: false),
        TimedOutCase(
            name: "progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:09 => 11s", reason: "",
            progressDeadlineSeconds: 10, lastUpdate: 69, now: 80, expected: true),
        TimedOutCase(
            name: "progressDeadlineSeconds: 10s, now - started => 00:01:20 - 00:01:11 => 9s", reason: "",
            progressDeadlineSeconds: 10, lastUpdate: 71, now: 80, expected: false),
        TimedOutCase(
            name: "previous status was a complete deployment",
            reason: DeploymentCondition.Reason.newReplicaSetAvailable, progressDeadlineSeconds: nil, lastUpdate: 0,
            now: 0, expected: false),
        // Not upstream: exactly at the deadline is not yet past it (upstream's Before is strict).
        TimedOutCase(
            name: "progressDeadlineSeconds: 10s, exactly 10s", reason: "", progressDeadlineSeconds: 10, lastUpdate: 70,
            now: 80, expected: false),
    ])
    func TestDeploymentTimedOut(_ test: TimedOutCase) {
        var deployment = Fixtures.deployment(replicas: 1, progressDeadlineSeconds: test.progressDeadlineSeconds)
        deployment.status.conditions = [
            DeploymentCondition(
                type: .progressing, status: .true, reason: test.reason, message: "",
                time: Time.clusterEpoch.adding(test.lastUpdate))
        ]
        #expect(
            RolloutRules.deploymentTimedOut(deployment, deployment.status, now: Time.clusterEpoch.adding(test.now))
                == test.expected)
    }

    struct FractionCase: Sendable, CustomTestStringConvertible {
        let name: String
        let deploymentReplicas: Int
        var deploymentStatusReplicas = 0
        var deploymentMaxSurge = 0
        let replicaSetReplicas: Int
        var maxReplicasAnnotation: String?
        let expected: Int
        var testDescription: String { name }
    }

    // TestGetReplicaSetFraction, deployment_util_test.go (maxUnavailable 1 throughout).
    @Test(arguments: [
        FractionCase(
            name: "empty deployment always scales to 0", deploymentReplicas: 0, replicaSetReplicas: 10, expected: -10),
        FractionCase(
            name: "unsynced deployment does not scale when max-replicas annotation is missing (removed by a 3rd party)",
            deploymentReplicas: 10, replicaSetReplicas: 5, expected: 0),
        FractionCase(
            name:
                "unsynced deployment does not scale when max-replicas annotation is incorrectly set to 0 (by a 3rd party)",
            deploymentReplicas: 10, replicaSetReplicas: 5, maxReplicasAnnotation: "0", expected: 0),
        FractionCase(
            name:
                "scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is missing (removed by a 3rd party)",
            deploymentReplicas: 120, deploymentStatusReplicas: 100, replicaSetReplicas: 50, expected: 10),
        FractionCase(
            name:
                "scale up by 1/5 should increase RS replicas by 1/5 when max-replicas annotation is incorrectly set to 0 (by a 3rd party)",
            deploymentReplicas: 120, deploymentStatusReplicas: 100, replicaSetReplicas: 50, maxReplicasAnnotation: "0",
            expected: 10),
        FractionCase(
            name: "scale up by 1/5 should increase RS replicas by 1/5", deploymentReplicas: 120, replicaSetReplicas: 50,
            maxReplicasAnnotation: "100", expected: 10),
        FractionCase(
            name: "scale up with maxSurge by 1/5 should increase RS replicas approximately by 1/5",
            deploymentReplicas: 120, deploymentMaxSurge: 10, replicaSetReplicas: 50, maxReplicasAnnotation: "110",
            expected: 9),
        FractionCase(
            name: "scale down by 1/6 should decrease RS replicas by 1/6", deploymentReplicas: 10, replicaSetReplicas: 6,
            maxReplicasAnnotation: "12", expected: -1),
        FractionCase(
            name: "scale down with maxSurge by 1/6 should decrease RS replicas approximately by 1/6",
            deploymentReplicas: 100, deploymentMaxSurge: 10, replicaSetReplicas: 50, maxReplicasAnnotation: "130",
            expected: -8),
    ])
    func TestGetReplicaSetFraction(_ test: FractionCase) {
        var deployment = Fixtures.deployment(
            replicas: test.deploymentReplicas, maxSurge: .count(test.deploymentMaxSurge), maxUnavailable: .count(1))
        deployment.status.replicas = test.deploymentStatusReplicas
        let annotations = test.maxReplicasAnnotation.map { [RevisionAnnotations.maxReplicas: $0] } ?? [:]
        let replicaSet = Fixtures.replicaSet("rs", replicas: test.replicaSetReplicas, annotations: annotations)
        #expect(RolloutRules.replicaSetFraction(replicaSet, deployment: deployment) == test.expected)
    }
}
