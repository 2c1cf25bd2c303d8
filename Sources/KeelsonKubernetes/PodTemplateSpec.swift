/// A Deployment's or ReplicaSet's pod template (`spec.template`): its JSON as written, which
/// identifies it, and typed views of the labels, annotations and containers that rollouts read.
///
/// Two templates are the same template exactly when their ``identity`` is byte for byte equal: a
/// ReplicaSet's template (which carries the `pod-template-hash` label) equals its Deployment's,
/// as upstream's `EqualIgnoreHash` compares them.
public struct PodTemplateSpec: KubernetesJSON, Hashable {
    /// The label a ReplicaSet's template and pods carry to tell its pods from its siblings'.
    public static let hashLabel = "pod-template-hash"

    /// The template as written.
    public let json: JSONValue
    /// ``json`` as canonical compact JSON (sorted keys): what a Deployment's pod-template hash is
    /// computed from.
    public let canonicalJSON: [UInt8]
    /// ``canonicalJSON`` without the ``hashLabel``, and without `labels` and `metadata` when they
    /// are empty (upstream's semantic equality does not tell an empty map from none): what tells
    /// two templates apart.
    public let identity: [UInt8]
    /// `metadata.labels` and `metadata.annotations`.
    public let labels: [String: String]
    public let annotations: [String: String]
    /// `spec`: the pod's containers.
    public let spec: PodSpec

    /// - Throws: ``APIFieldError`` when the template has no containers, or a container no name
    ///   or image.
    public init(json: JSONValue) throws(APIFieldError) {
        let metadata = json["metadata"] ?? .null
        let labels: [String: String]
        let annotations: [String: String]
        do {
            labels = try metadata.stringMap("labels")
            annotations = try metadata.stringMap("annotations")
        } catch {
            throw error.inside("metadata")
        }
        let spec: PodSpec = try json.decoded("spec")
        self.init(json: json, labels: labels, annotations: annotations, spec: spec)
    }

    private init(json: JSONValue, labels: [String: String], annotations: [String: String], spec: PodSpec) {
        self.json = json
        self.labels = labels
        self.annotations = annotations
        self.spec = spec
        let canonicalJSON = json.canonicalJSON
        self.canonicalJSON = canonicalJSON
        let metadata = json["metadata"]?.objectValue
        let labels = metadata?["labels"]?.objectValue
        if labels?[Self.hashLabel] == nil, labels?.isEmpty != true, metadata?.isEmpty != true {
            identity = canonicalJSON
        } else {
            identity = Self.settingLabel(Self.hashLabel, to: nil, in: json).canonicalJSON
        }
    }

    /// `spec.containers`, in order (init containers are not among them).
    public var containers: [Container] { spec.containers }

    /// This template with the label `key` set to `value`, or removed when `value` is nil: a
    /// ReplicaSet's template is its Deployment's with the ``hashLabel`` set.
    public func settingLabel(_ key: String, to value: String?) -> PodTemplateSpec {
        var labels = self.labels
        labels[key] = value
        return PodTemplateSpec(
            json: Self.settingLabel(key, to: value, in: json), labels: labels, annotations: annotations, spec: spec)
    }

    /// `json` with the label set or removed; `labels` and `metadata` left out once empty.
    private static func settingLabel(_ key: String, to value: String?, in json: JSONValue) -> JSONValue {
        let template = json.objectValue ?? JSONObject([])
        let metadata = template["metadata"]?.objectValue ?? JSONObject([])
        let labels = (metadata["labels"]?.objectValue ?? JSONObject([])).setting(key, to: value.map(JSONValue.string))
        let edited = metadata.setting("labels", to: labels.isEmpty ? nil : .object(labels))
        return .object(template.setting("metadata", to: edited.isEmpty ? nil : .object(edited)))
    }

    /// This template with `container`'s image replaced, as `kubectl set image` changes it; nil
    /// when no container has that name. The JSON stays canonical, so setting the image back
    /// yields the original template.
    public func settingImage(_ image: String, forContainer container: String) -> PodTemplateSpec? {
        guard let index = containers.firstIndex(where: { $0.name == container }),
            case .object(let template) = json, case .object(let spec)? = template["spec"],
            case .array(let entries)? = spec["containers"]
        else { return nil }
        let edited = entries.map { entry -> JSONValue in
            guard case .object(let fields) = entry, fields["name"]?.stringValue == container else { return entry }
            return .object(fields.setting("image", to: .string(image)))
        }
        var containers = self.containers
        containers[index].image = image
        let editedSpec = JSONValue.object(spec.setting("containers", to: .array(edited)))
        return PodTemplateSpec(
            json: .object(template.setting("spec", to: editedSpec)), labels: labels, annotations: annotations,
            spec: PodSpec(json: editedSpec, containers: containers))
    }

    /// The container images, in order.
    public var images: [String] { spec.images }

    public static func == (lhs: PodTemplateSpec, rhs: PodTemplateSpec) -> Bool {
        lhs.identity == rhs.identity
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(identity)
    }
}
