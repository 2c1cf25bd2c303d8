import KeelsonKubernetes

/// A Deployment in the simulated cluster.
public struct SimDeployment: Codable, Sendable, Hashable {
    /// The name, unique within the namespace.
    public var name: String
    /// The namespace.
    public var namespace: String
    /// Incremented on every change of ``spec``; the controller reports what it saw in `status.observedGeneration`.
    public var generation: Int
    /// The desired state.
    @StoredAsJSONText public var spec: DeploymentSpec
    /// Annotations, including the controller-managed `deployment.kubernetes.io/revision`.
    public var annotations: [String: String]
    /// `metadata.labels`, as applied.
    public var labels: [String: String]
    /// The observed state.
    @StoredAsJSONText public var status: DeploymentStatus
    /// When the Deployment was first applied; `nil` in snapshots written before this was recorded.
    public var createdAt: SimTime?

    /// Creates a Deployment at generation 1 with an empty status.
    public init(
        name: String, namespace: String = "default", spec: DeploymentSpec, annotations: [String: String] = [:],
        labels: [String: String] = [:], generation: Int = 1, status: DeploymentStatus = DeploymentStatus(),
        createdAt: SimTime? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.generation = generation
        self.spec = spec
        self.annotations = annotations
        self.labels = labels
        self.status = status
        self.createdAt = createdAt
    }

    /// Snapshots written before labels were kept read as having none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        namespace = try container.decode(String.self, forKey: .namespace)
        generation = try container.decode(Int.self, forKey: .generation)
        _spec = try container.decode(StoredAsJSONText<DeploymentSpec>.self, forKey: .spec)
        annotations = try container.decode([String: String].self, forKey: .annotations)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        _status = try container.decode(StoredAsJSONText<DeploymentStatus>.self, forKey: .status)
        createdAt = try container.decodeIfPresent(SimTime.self, forKey: .createdAt)
    }

    /// The rollout revision from `deployment.kubernetes.io/revision`, or `nil` before the first sync.
    public var revision: Int? { annotations[RevisionAnnotations.revision].flatMap { Int($0) } }
}
