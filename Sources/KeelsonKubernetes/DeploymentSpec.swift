/// A typed view of a Deployment's `spec` with Kubernetes' defaults for its apiVersion applied.
///
/// The raw object stays in ``KubeObject/body``; this view is what rollout logic reads.
public struct DeploymentSpec: Sendable, Hashable {
    /// The apiVersion the Deployment was written in, which decided the defaults.
    public let apiVersion: DeploymentAPIVersion
    /// Desired pods (default 1).
    public let replicas: Int
    /// The pod selector; for `extensions/v1beta1` and `apps/v1beta1` defaulted from the template labels.
    public let selector: LabelSelector
    /// Rolling update (default) or recreate.
    public let strategy: DeploymentStrategy
    /// Seconds a new pod must be ready before it counts as available (default 0).
    public let minReadySeconds: Int
    /// Seconds before a stalled rollout is reported as failed; `nil` means no deadline.
    public let progressDeadlineSeconds: Int?
    /// Old ReplicaSets to keep; `nil` means keep all.
    public let revisionHistoryLimit: Int?
    /// Whether the rollout is paused (default false).
    public let paused: Bool
    /// The pod template.
    public let template: PodTemplate

    /// Creates a spec; values are taken as given, without defaulting.
    public init(
        apiVersion: DeploymentAPIVersion, replicas: Int, selector: LabelSelector, strategy: DeploymentStrategy,
        minReadySeconds: Int, progressDeadlineSeconds: Int?, revisionHistoryLimit: Int?, paused: Bool,
        template: PodTemplate
    ) {
        self.apiVersion = apiVersion
        self.replicas = replicas
        self.selector = selector
        self.strategy = strategy
        self.minReadySeconds = minReadySeconds
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.revisionHistoryLimit = revisionHistoryLimit
        self.paused = paused
        self.template = template
    }
}
