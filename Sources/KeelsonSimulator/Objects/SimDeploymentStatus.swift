/// The observed state of a simulated Deployment, as the deployment controller last wrote it.
public struct SimDeploymentStatus: Codable, Sendable, Hashable {
    /// The generation the controller last acted on.
    public var observedGeneration: Int = 0
    /// Pods owned by all of the Deployment's ReplicaSets.
    public var replicas: Int = 0
    /// Pods owned by the new ReplicaSet.
    public var updatedReplicas: Int = 0
    /// Ready pods.
    public var readyReplicas: Int = 0
    /// Pods ready for at least `minReadySeconds`.
    public var availableReplicas: Int = 0
    /// Desired pods across all ReplicaSets minus available pods, never negative.
    public var unavailableReplicas: Int = 0
    /// Bumped when a new ReplicaSet's name collides with an existing one, to change the next hash.
    public var collisionCount: Int?
    /// `Available` and `Progressing`, in the order they were last set.
    public var conditions: [SimDeploymentCondition] = []

    /// Creates an empty status.
    public init() {}

    /// The condition of type `type`, if any (upstream `GetDeploymentCondition`).
    public func condition(_ type: SimDeploymentConditionType) -> SimDeploymentCondition? {
        conditions.first { $0.type == type }
    }

    /// Sets a condition as upstream's `SetDeploymentCondition`: no change when status and reason are unchanged,
    /// the old transition time kept when only the reason changes, and the condition moved to the end.
    public mutating func setCondition(_ condition: SimDeploymentCondition) {
        var condition = condition
        let current = self.condition(condition.type)
        if let current, current.status == condition.status, current.reason == condition.reason { return }
        if let current, current.status == condition.status {
            condition.lastTransitionTime = current.lastTransitionTime
        }
        removeCondition(condition.type)
        conditions.append(condition)
    }

    /// Removes the condition of type `type` (upstream `RemoveDeploymentCondition`).
    public mutating func removeCondition(_ type: SimDeploymentConditionType) {
        conditions.removeAll { $0.type == type }
    }
}
