/// A Deployment's `spec`, defaults applied: what the deployment controller reads.
public struct DeploymentSpec: KubernetesJSON, Hashable {
    /// Desired pods.
    public var replicas: Int
    /// Which pods the Deployment owns.
    public var selector: LabelSelector
    /// Rolling update or recreate.
    public var strategy: DeploymentStrategy
    /// Seconds a new pod must be ready before it counts as available.
    public var minReadySeconds: Int
    /// Seconds before a stalled rollout is reported as failed; `nil` means no deadline.
    public var progressDeadlineSeconds: Int?
    /// Old ReplicaSets to keep; `nil` means keep all.
    public var revisionHistoryLimit: Int?
    /// Whether the rollout is paused.
    public var paused: Bool
    /// The pod template.
    public var template: PodTemplateSpec

    /// Creates a spec; omitted values take `apps/v1`'s defaults (the selector: the template's
    /// labels), given ones are taken as they are.
    public init(
        replicas: Int, selector: LabelSelector? = nil, strategy: DeploymentStrategy = .default,
        minReadySeconds: Int = 0, progressDeadlineSeconds: Int? = 600, revisionHistoryLimit: Int? = 10,
        paused: Bool = false, template: PodTemplateSpec
    ) {
        self.replicas = replicas
        self.selector = selector ?? LabelSelector(matchLabels: template.labels)
        self.strategy = strategy
        self.minReadySeconds = minReadySeconds
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.revisionHistoryLimit = revisionHistoryLimit
        self.paused = paused
        self.template = template
    }

    public init(json: JSONValue) throws(APIFieldError) {
        let template: PodTemplateSpec = try json.decoded("template")
        let selector: LabelSelector? = try json.decodedIfPresent("selector")
        let strategy: DeploymentStrategy = try json.decodedIfPresent("strategy") ?? .default
        self.init(
            replicas: try json.int("replicas", or: 1), selector: selector, strategy: strategy,
            minReadySeconds: try json.int("minReadySeconds", or: 0),
            progressDeadlineSeconds: try json.optionalInt("progressDeadlineSeconds"),
            revisionHistoryLimit: try json.optionalInt("revisionHistoryLimit"),
            paused: try json.bool("paused", or: false), template: template)
    }

    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("replicas", .int(replicas)), ("selector", selector.json), ("strategy", strategy.json),
                ("minReadySeconds", minReadySeconds == 0 ? nil : .int(minReadySeconds)),
                ("progressDeadlineSeconds", progressDeadlineSeconds.map(JSONValue.int)),
                ("revisionHistoryLimit", revisionHistoryLimit.map(JSONValue.int)),
                ("paused", paused ? .bool(true) : nil), ("template", template.json),
            ]))
    }
}
