/// The observed state of a simulated ReplicaSet, as the ReplicaSet controller last wrote it.
public struct SimReplicaSetStatus: Codable, Sendable, Hashable {
    /// Pods that exist.
    public var replicas: Int = 0
    /// Ready pods.
    public var readyReplicas: Int = 0
    /// Pods ready for at least `minReadySeconds`.
    public var availableReplicas: Int = 0

    /// Creates a status.
    public init(replicas: Int = 0, readyReplicas: Int = 0, availableReplicas: Int = 0) {
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
    }
}
