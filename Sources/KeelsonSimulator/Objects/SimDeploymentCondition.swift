/// One entry of a Deployment's `status.conditions`.
public struct SimDeploymentCondition: Codable, Sendable, Hashable {
    /// `Available` or `Progressing`.
    public var type: SimDeploymentConditionType
    /// `True`, `False` or `Unknown`.
    public var status: SimConditionStatus
    /// A machine-readable reason such as `NewReplicaSetAvailable`; see ``SimDeploymentConditionReason``.
    public var reason: String
    /// A human-readable message.
    public var message: String
    /// The last time the condition was updated (for `Progressing`: the last time progress was seen).
    public var lastUpdateTime: SimTime
    /// The last time `status` changed.
    public var lastTransitionTime: SimTime

    /// Creates a condition whose update and transition times are both `time` (upstream `NewDeploymentCondition`).
    public init(
        type: SimDeploymentConditionType, status: SimConditionStatus, reason: String, message: String, time: SimTime
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastUpdateTime = time
        self.lastTransitionTime = time
    }
}
