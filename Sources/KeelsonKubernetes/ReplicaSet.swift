/// An `apps/v1` ReplicaSet: a Deployment's pods of one template, labelled and selected by their
/// ``PodTemplateSpec/hashLabel``.
public struct ReplicaSet: KubernetesJSON, Hashable {
    public static let apiVersion = "apps/v1"
    public static let kind = "ReplicaSet"

    public var metadata: ObjectMeta
    public var spec: ReplicaSetSpec
    public var status: ReplicaSetStatus

    public init(metadata: ObjectMeta, spec: ReplicaSetSpec, status: ReplicaSetStatus = ReplicaSetStatus()) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public init(json: JSONValue) throws(APIFieldError) {
        self.init(
            metadata: try json.decoded("metadata"), spec: try json.decoded("spec"),
            status: try json.decodedIfPresent("status") ?? ReplicaSetStatus())
    }

    public var json: JSONValue {
        .object(
            JSONObject([
                ("apiVersion", .string(Self.apiVersion)), ("kind", .string(Self.kind)), ("metadata", metadata.json),
                ("spec", spec.json), ("status", status.json),
            ]))
    }
}

/// A ReplicaSet's `spec`.
public struct ReplicaSetSpec: KubernetesJSON, Hashable {
    /// Desired pods.
    public var replicas: Int
    /// Seconds a pod must be ready before it counts as available.
    public var minReadySeconds: Int
    /// Which pods it owns.
    public var selector: LabelSelector
    /// The template its pods are made from.
    public var template: PodTemplateSpec

    public init(replicas: Int, minReadySeconds: Int = 0, selector: LabelSelector, template: PodTemplateSpec) {
        self.replicas = replicas
        self.minReadySeconds = minReadySeconds
        self.selector = selector
        self.template = template
    }

    public init(json: JSONValue) throws(APIFieldError) {
        self.init(
            replicas: try json.int("replicas", or: 1), minReadySeconds: try json.int("minReadySeconds", or: 0),
            selector: try json.decoded("selector"), template: try json.decoded("template"))
    }

    /// `replicas` is always written, as it is not `omitempty` upstream.
    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("minReadySeconds", minReadySeconds == 0 ? nil : .int(minReadySeconds)), ("replicas", .int(replicas)),
                ("selector", selector.json), ("template", template.json),
            ]))
    }
}

/// A ReplicaSet's `status`, as its controller last counted its pods.
public struct ReplicaSetStatus: KubernetesJSON, Hashable {
    /// Pods that exist.
    public var replicas: Int
    /// Pods whose labels match the template's.
    public var fullyLabeledReplicas: Int
    /// Ready pods.
    public var readyReplicas: Int
    /// Pods ready for at least `minReadySeconds`.
    public var availableReplicas: Int

    public init(replicas: Int = 0, fullyLabeledReplicas: Int = 0, readyReplicas: Int = 0, availableReplicas: Int = 0) {
        self.replicas = replicas
        self.fullyLabeledReplicas = fullyLabeledReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
    }

    public init(json: JSONValue) throws(APIFieldError) {
        self.init(
            replicas: try json.int("replicas", or: 0),
            fullyLabeledReplicas: try json.int("fullyLabeledReplicas", or: 0),
            readyReplicas: try json.int("readyReplicas", or: 0),
            availableReplicas: try json.int("availableReplicas", or: 0))
    }

    /// Counts of 0 left out but `replicas`, which is not `omitempty` upstream.
    public var json: JSONValue {
        let count = { (value: Int) in value == 0 ? nil : JSONValue.int(value) }
        return .object(
            JSONObject.omittingNil([
                ("availableReplicas", count(availableReplicas)), ("fullyLabeledReplicas", count(fullyLabeledReplicas)),
                ("readyReplicas", count(readyReplicas)), ("replicas", .int(replicas)),
            ]))
    }
}
