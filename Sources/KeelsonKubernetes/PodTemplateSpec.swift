/// A Deployment's or ReplicaSet's pod template (`spec.template`): its JSON as written, which
/// identifies it, and typed views of the labels, annotations and containers that rollouts read.
///
/// Two templates are the same template exactly when their canonical JSON is byte for byte equal;
/// this plays the part of upstream's `EqualIgnoreHash`, as the `pod-template-hash` label is never
/// kept in the template.
public struct PodTemplateSpec: KubernetesJSON, Hashable {
    /// The template as written, without the `pod-template-hash` label.
    public let json: JSONValue
    /// ``json`` as canonical compact JSON (sorted keys): what identifies and hashes the template.
    public let canonicalJSON: [UInt8]
    /// `metadata.labels` and `metadata.annotations`.
    public let labels: [String: String]
    public let annotations: [String: String]
    /// `spec.containers`, in order (init containers are not among them).
    public let containers: [Container]

    /// - Throws: ``APIFieldError`` when the template has no containers, or a container no name
    ///   or image.
    public init(json: JSONValue) throws(APIFieldError) {
        let metadata = json["metadata"] ?? .null
        do {
            labels = try metadata.stringMap("labels")
            annotations = try metadata.stringMap("annotations")
        } catch {
            throw error.inside("metadata")
        }
        guard let elements = json.value(at: ["spec", "containers"])?.arrayValue, !elements.isEmpty else {
            throw APIFieldError(field: "spec.containers", "expected at least one container")
        }
        var containers: [Container] = []
        for (index, element) in elements.enumerated() {
            do { containers.append(try Container(json: element)) } catch {
                throw error.inside("spec.containers[\(index)]")
            }
        }
        self.containers = containers
        self.json = json
        self.canonicalJSON = json.canonicalJSON
    }

    private init(
        json: JSONValue, labels: [String: String], annotations: [String: String], containers: [Container]
    ) {
        self.json = json
        self.canonicalJSON = json.canonicalJSON
        self.labels = labels
        self.annotations = annotations
        self.containers = containers
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
        return PodTemplateSpec(
            json: .object(template.setting("spec", to: .object(spec.setting("containers", to: .array(edited))))),
            labels: labels, annotations: annotations, containers: containers)
    }

    /// The container images, in order.
    public var images: [String] { containers.map(\.image) }

    public static func == (lhs: PodTemplateSpec, rhs: PodTemplateSpec) -> Bool {
        lhs.canonicalJSON == rhs.canonicalJSON
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(canonicalJSON)
    }
}
