import KeelsonKubernetes

/// A ReplicaSet in the simulated cluster, owned by one Deployment.
public struct SimReplicaSet: Codable, Sendable, Hashable {
    /// `<deployment>-<pod-template-hash>`.
    public var name: String
    /// The namespace.
    public var namespace: String
    /// The owning Deployment's name.
    public var owner: String
    /// The `pod-template-hash` label value.
    public var podTemplateHash: String
    /// The pod template, without the hash label.
    @StoredAsJSONText public var template: PodTemplateSpec
    /// Desired pods (`spec.replicas`).
    public var replicas: Int
    /// Copied from the Deployment; decides when its pods count as available.
    public var minReadySeconds: Int
    /// Annotations: revision, revision history, desired and max replicas, and those copied from the Deployment.
    public var annotations: [String: String]
    /// When the ReplicaSet was created.
    public var createdAt: SimTime
    /// The observed state.
    public var status: SimReplicaSetStatus

    /// Creates a ReplicaSet.
    public init(
        name: String, namespace: String = "default", owner: String, podTemplateHash: String, template: PodTemplateSpec,
        replicas: Int, minReadySeconds: Int = 0, annotations: [String: String] = [:], createdAt: SimTime,
        status: SimReplicaSetStatus = SimReplicaSetStatus()
    ) {
        self.name = name
        self.namespace = namespace
        self.owner = owner
        self.podTemplateHash = podTemplateHash
        self.template = template
        self.replicas = replicas
        self.minReadySeconds = minReadySeconds
        self.annotations = annotations
        self.createdAt = createdAt
        self.status = status
    }

    /// The rollout revision: 0 without the annotation, `nil` when it does not parse (upstream `Revision`).
    public var revision: Int? {
        guard let text = annotations[RevisionAnnotations.revision] else { return 0 }
        return Int(text)
    }
}
