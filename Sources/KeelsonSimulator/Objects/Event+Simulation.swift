import KeelsonKubernetes

extension Event {
    /// An event about a Deployment, ReplicaSet or Pod at `time`, named as client-go's recorder
    /// names it (`<object>.<hex nanoseconds>`), reported by the controller that acts on that kind.
    init(
        about kind: String, namespace: String, name: String, type: String = "Normal", reason: String, message: String,
        at time: Time
    ) {
        let component: String =
            switch kind {
            case Deployment.kind: "deployment-controller"
            case ReplicaSet.kind: "replicaset-controller"
            default: "kubelet"
            }
        self.init(
            metadata: ObjectMeta(
                name: "\(name).\(String(time.unixSeconds * 1_000_000_000, radix: 16))", namespace: namespace,
                creationTimestamp: time),
            involvedObject: ObjectReference(
                apiVersion: kind == Pod.kind ? Pod.apiVersion : Deployment.apiVersion, kind: kind,
                namespace: namespace, name: name),
            type: type, reason: reason, message: message, firstTimestamp: time, lastTimestamp: time,
            reportingComponent: component)
    }

    /// When it last happened.
    public var time: Time { lastTimestamp ?? metadata.creationTimestamp ?? .clusterEpoch }

    /// `t+3s Deployment default/web ScalingReplicaSet: Scaled up replica set web-5d8f to 3 from 0`.
    public var clusterDescription: String {
        "\(time.clusterDescription) \(involvedObject.kind) \(involvedObject.namespace ?? "")/\(involvedObject.name) "
            + "\(reason): \(message)"
    }
}
