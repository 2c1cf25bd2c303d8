/// A pod in the simulated cluster, owned by one ReplicaSet.
public struct SimPod: Codable, Sendable, Hashable {
    /// `<replicaset>-<suffix>`.
    public var name: String
    /// The namespace.
    public var namespace: String
    /// The owning ReplicaSet's name.
    public var owner: String
    /// The container images, which fault injection keys on.
    public var images: [String]
    /// Seconds from creation until a healthy pod is ready.
    public var readinessDelaySeconds: Int
    /// When the pod was created.
    public var createdAt: SimTime
    /// The phase.
    public var phase: SimPodPhase
    /// Since when the pod has been ready; `nil` while not ready.
    public var readySince: SimTime?
    /// Since when the pod has been available (ready for `minReadySeconds`); `nil` while not available.
    public var availableSince: SimTime?
    /// Container restarts so far.
    public var restartCount: Int

    /// Creates a pending pod.
    public init(
        name: String, namespace: String = "default", owner: String, images: [String], readinessDelaySeconds: Int,
        createdAt: SimTime
    ) {
        self.name = name
        self.namespace = namespace
        self.owner = owner
        self.images = images
        self.readinessDelaySeconds = readinessDelaySeconds
        self.createdAt = createdAt
        self.phase = .pending
        self.readySince = nil
        self.availableSince = nil
        self.restartCount = 0
    }

    /// Whether the pod is ready.
    public var isReady: Bool { readySince != nil }

    /// Whether the pod is available.
    public var isAvailable: Bool { availableSince != nil }
}
