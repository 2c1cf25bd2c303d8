import KeelsonKubernetes
import KeelsonManifests

/// The desired state of a simulated Deployment: the fields of ``DeploymentSpec`` the controller reads.
public struct SimDeploymentSpec: Codable, Sendable, Hashable {
    /// Desired pods.
    public var replicas: Int
    /// Rolling update or recreate.
    public var strategy: SimDeploymentStrategy
    /// Seconds a new pod must be ready before it counts as available.
    public var minReadySeconds: Int
    /// Seconds before a stalled rollout is reported as failed; `nil` means no deadline.
    public var progressDeadlineSeconds: Int?
    /// Old ReplicaSets to keep; `nil` means keep all.
    public var revisionHistoryLimit: Int?
    /// Whether the rollout is paused.
    public var paused: Bool
    /// The pod template.
    public var template: SimPodTemplate

    /// Creates a spec; omitted values take `apps/v1`'s defaults, given ones are taken as they are.
    public init(
        replicas: Int, strategy: SimDeploymentStrategy, minReadySeconds: Int = 0, progressDeadlineSeconds: Int? = 600,
        revisionHistoryLimit: Int? = 10, paused: Bool = false, template: SimPodTemplate
    ) {
        self.replicas = replicas
        self.strategy = strategy
        self.minReadySeconds = minReadySeconds
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.revisionHistoryLimit = revisionHistoryLimit
        self.paused = paused
        self.template = template
    }

    /// Copies the typed view the manifests layer produced (defaults already applied).
    public init(_ spec: DeploymentSpec) {
        self.init(
            replicas: spec.replicas, strategy: SimDeploymentStrategy(spec.strategy),
            minReadySeconds: spec.minReadySeconds, progressDeadlineSeconds: spec.progressDeadlineSeconds,
            revisionHistoryLimit: spec.revisionHistoryLimit, paused: spec.paused,
            template: SimPodTemplate(spec.template))
    }
}
