import KeelsonKubernetes

@testable import KeelsonSimulator

/// Builders for the objects upstream's tests build with `newDeployment`, `rs` and `newRSWithStatus`
/// (`pkg/controller/deployment/deployment_controller_test.go`).
enum Fixtures {
    /// A one-container template running `image`, its readiness probe passing `readinessDelay`
    /// seconds after the pod starts.
    static func template(_ image: String = "web:1", readinessDelay: Int = 0) -> PodTemplateSpec {
        let probe = readinessDelay == 0 ? "" : #","readinessProbe":{"initialDelaySeconds":\#(readinessDelay)}"#
        return try! PodTemplateSpec(
            json: JSONValue(json: Array(#"{"spec":{"containers":[{"image":"\#(image)","name":"web"\#(probe)}]}}"#.utf8))
        )
    }

    /// Upstream `newDeployment`: a rolling update with maxSurge and maxUnavailable 0 unless given.
    static func deployment(
        _ name: String = "foo", replicas: Int, revisionHistoryLimit: Int? = nil, maxSurge: IntOrPercent = .count(0),
        maxUnavailable: IntOrPercent = .count(0), progressDeadlineSeconds: Int? = nil
    ) -> Deployment {
        Deployment(
            name: name,
            spec: DeploymentSpec(
                replicas: replicas, strategy: .rollingUpdate(maxSurge: maxSurge, maxUnavailable: maxUnavailable),
                progressDeadlineSeconds: progressDeadlineSeconds, revisionHistoryLimit: revisionHistoryLimit,
                template: template()))
    }

    /// A spec for cluster scenarios.
    static func spec(
        replicas: Int, image: String = "web:1", maxSurge: IntOrPercent = .percent(25),
        maxUnavailable: IntOrPercent = .percent(25), minReadySeconds: Int = 0, readinessDelay: Int = 0,
        progressDeadlineSeconds: Int? = 600, revisionHistoryLimit: Int? = 10, paused: Bool = false
    ) -> DeploymentSpec {
        DeploymentSpec(
            replicas: replicas, strategy: .rollingUpdate(maxSurge: maxSurge, maxUnavailable: maxUnavailable),
            minReadySeconds: minReadySeconds, progressDeadlineSeconds: progressDeadlineSeconds,
            revisionHistoryLimit: revisionHistoryLimit, paused: paused,
            template: template(image, readinessDelay: readinessDelay))
    }

    /// Upstream `rs`: a ReplicaSet of `replicas` created at `createdAt`, with its own (empty) template.
    static func replicaSet(
        _ name: String, replicas: Int, createdAt: Int = 0, available: Int = 0, statusReplicas: Int = 0,
        annotations: [String: String] = [:], podTemplateHash: String? = nil
    ) -> ReplicaSet {
        ReplicaSet(
            name: name, owner: "foo", podTemplateHash: podTemplateHash ?? name,
            template: template("rs-\(name)"), replicas: replicas,
            annotations: annotations, createdAt: Time.clusterEpoch.adding(createdAt),
            status: ReplicaSetStatus(
                replicas: statusReplicas, fullyLabeledReplicas: statusReplicas, availableReplicas: available))
    }
}
