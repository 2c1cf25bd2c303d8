/// A pod's `spec` (a template's `spec.template.spec`): its JSON as written, and the containers
/// rollouts act on.
public struct PodSpec: KubernetesJSON, Hashable {
    /// The spec as written.
    public let json: JSONValue
    /// `containers`, in order (init containers are not among them).
    public let containers: [Container]

    /// - Throws: ``APIFieldError`` when the spec has no containers, or a container no name or
    ///   image.
    public init(json: JSONValue) throws(APIFieldError) {
        guard let elements = json["containers"]?.arrayValue, !elements.isEmpty else {
            throw APIFieldError(field: "containers", "expected at least one container")
        }
        var containers: [Container] = []
        for (index, element) in elements.enumerated() {
            do { containers.append(try Container(json: element)) } catch { throw error.inside("containers[\(index)]") }
        }
        self.init(json: json, containers: containers)
    }

    init(json: JSONValue, containers: [Container]) {
        self.json = json
        self.containers = containers
    }

    /// The container images, in order.
    public var images: [String] { containers.map(\.image) }
}
