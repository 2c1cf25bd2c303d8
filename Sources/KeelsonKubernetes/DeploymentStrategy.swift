/// How a Deployment replaces old pods with new ones.
public enum DeploymentStrategy: Sendable, Hashable {
    /// Replace pods gradually, keeping at most `maxSurge` extra and `maxUnavailable` missing pods.
    case rollingUpdate(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent)
    /// Stop all old pods before starting new ones.
    case recreate
}
