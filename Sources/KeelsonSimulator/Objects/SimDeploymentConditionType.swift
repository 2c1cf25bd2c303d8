/// The Deployment condition types the controller maintains.
public enum SimDeploymentConditionType: String, Codable, Sendable, Hashable {
    /// Whether at least `replicas - maxUnavailable` pods are available.
    case available = "Available"
    /// Whether the rollout is moving, complete, paused or stuck past its deadline.
    case progressing = "Progressing"
}
