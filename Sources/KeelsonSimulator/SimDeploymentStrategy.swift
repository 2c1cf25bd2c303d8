import KeelsonKubernetes
import KeelsonManifests

/// How a simulated Deployment replaces old pods with new ones.
public enum SimDeploymentStrategy: Codable, Sendable, Hashable {
    /// Replace pods gradually, keeping at most `maxSurge` extra and `maxUnavailable` missing pods.
    case rollingUpdate(maxSurge: SimIntOrPercent, maxUnavailable: SimIntOrPercent)
    /// Stop all old pods before starting new ones.
    case recreate

    /// Copies a manifest strategy.
    public init(_ strategy: DeploymentStrategy) {
        switch strategy {
        case .rollingUpdate(let maxSurge, let maxUnavailable):
            self = .rollingUpdate(maxSurge: SimIntOrPercent(maxSurge), maxUnavailable: SimIntOrPercent(maxUnavailable))
        case .recreate:
            self = .recreate
        }
    }

    /// Whether this is a rolling update (upstream `IsRollingUpdate`).
    public var isRollingUpdate: Bool {
        if case .rollingUpdate = self { return true }
        return false
    }
}
