@testable import KeelsonSimulator

/// Builders for the objects upstream's tests build with `newDeployment`, `rs` and `newRSWithStatus`
/// (`pkg/controller/deployment/deployment_controller_test.go`).
enum Fixtures {
    /// A one-container template running `image`.
    static func template(_ image: String = "web:1", readinessDelay: Int = 0) -> SimPodTemplate {
        SimPodTemplate(
            json: #"{"spec":{"containers":[{"image":"\#(image)","name":"web"}]}}"#,
            containers: [SimContainer(name: "web", image: image, readinessDelaySeconds: readinessDelay)])
    }

    /// Upstream `newDeployment`: a rolling update with maxSurge and maxUnavailable 0 unless given.
    static func deployment(
        _ name: String = "foo", replicas: Int, revisionHistoryLimit: Int? = nil, maxSurge: SimIntOrPercent = .count(0),
        maxUnavailable: SimIntOrPercent = .count(0), progressDeadlineSeconds: Int? = nil
    ) -> SimDeployment {
        SimDeployment(
            name: name,
            spec: SimDeploymentSpec(
                replicas: replicas, strategy: .rollingUpdate(maxSurge: maxSurge, maxUnavailable: maxUnavailable),
                progressDeadlineSeconds: progressDeadlineSeconds, revisionHistoryLimit: revisionHistoryLimit,
                template: template()))
    }

    /// A spec for cluster scenarios.
    static func spec(
        replicas: Int, image: String = "web:1", maxSurge: SimIntOrPercent = .percent(25),
        maxUnavailable: SimIntOrPercent = .percent(25), minReadySeconds: Int = 0, readinessDelay: Int = 0,
        progressDeadlineSeconds: Int? = 600, revisionHistoryLimit: Int? = 10, paused: Bool = false
    ) -> SimDeploymentSpec {
        SimDeploymentSpec(
            replicas: replicas, strategy: .rollingUpdate(maxSurge: maxSurge, maxUnavailable: maxUnavailable),
            minReadySeconds: minReadySeconds, progressDeadlineSeconds: progressDeadlineSeconds,
            revisionHistoryLimit: revisionHistoryLimit, paused: paused,
            template: template(image, readinessDelay: readinessDelay))
    }

    /// Upstream `rs`: a ReplicaSet of `replicas` created at `createdAt`, with its own (empty) template.
    static func replicaSet(
        _ name: String, replicas: Int, createdAt: Int = 0, available: Int = 0, statusReplicas: Int = 0,
        annotations: [String: String] = [:]
    ) -> SimReplicaSet {
        SimReplicaSet(
            name: name, owner: "foo", podTemplateHash: name,
            template: SimPodTemplate(json: #"{"rs":"\#(name)"}"#, containers: []), replicas: replicas,
            annotations: annotations, createdAt: SimTime(seconds: createdAt),
            status: SimReplicaSetStatus(replicas: statusReplicas, availableReplicas: available))
    }
}
