/// The apiVersions a Deployment can be written in, each with the defaults Kubernetes applied in it.
///
/// Sources: `pkg/apis/apps/v1/defaults.go`, `pkg/apis/apps/v1beta2/defaults.go`,
/// `pkg/apis/apps/v1beta1/defaults.go` and `pkg/apis/extensions/v1beta1/defaults.go` in kubernetes/kubernetes.
public enum DeploymentAPIVersion: String, Sendable, Hashable, CaseIterable {
    /// The current version.
    case appsV1 = "apps/v1"
    /// Deprecated in 1.9, removed in 1.16; defaults as `apps/v1`.
    case appsV1beta2 = "apps/v1beta2"
    /// Deprecated in 1.9, removed in 1.16; keeps 2 old ReplicaSets; selector defaults to the template labels.
    case appsV1beta1 = "apps/v1beta1"
    /// Deprecated in 1.9, removed in 1.16; surge and unavailable of 1 pod, no history limit, no progress
    /// deadline; selector defaults to the template labels.
    case extensionsV1beta1 = "extensions/v1beta1"

    /// Whether the version is deprecated (removed from Kubernetes 1.16).
    public var isDeprecated: Bool { self != .appsV1 }

    /// Whether an omitted `spec.selector` defaults to the template labels (it is required from `apps/v1beta2`).
    public var defaultsSelectorFromTemplate: Bool { self == .appsV1beta1 || self == .extensionsV1beta1 }

    /// The default `maxSurge`.
    public var defaultMaxSurge: IntOrPercent { self == .extensionsV1beta1 ? .count(1) : .percent(25) }

    /// The default `maxUnavailable`.
    public var defaultMaxUnavailable: IntOrPercent { self == .extensionsV1beta1 ? .count(1) : .percent(25) }

    /// The default `revisionHistoryLimit`; `nil` means old ReplicaSets are never cleaned up.
    public var defaultRevisionHistoryLimit: Int? {
        switch self {
        case .appsV1, .appsV1beta2: 10
        case .appsV1beta1: 2
        case .extensionsV1beta1: nil
        }
    }

    /// The default `progressDeadlineSeconds`; `nil` means no deadline.
    public var defaultProgressDeadlineSeconds: Int? { self == .extensionsV1beta1 ? nil : 600 }
}
