/// The parts of a pod template's container that rollouts act on, read from the template's JSON.
public struct Container: Sendable, Hashable {
    /// The container name, unique within the pod.
    public var name: String
    /// The image reference as written.
    public var image: String
    /// `readinessProbe.initialDelaySeconds`: seconds from the pod's start until its readiness probe
    /// first passes (0 without a probe).
    public var readinessDelaySeconds: Int

    public init(name: String, image: String, readinessDelaySeconds: Int = 0) {
        self.name = name
        self.image = image
        self.readinessDelaySeconds = readinessDelaySeconds
    }

    /// Reads one element of `spec.containers`.
    init(json: JSONValue) throws(APIFieldError) {
        guard let name = try json.optionalString("name") else { throw APIFieldError(field: "name", "expected a name") }
        guard let image = try json.optionalString("image") else {
            throw APIFieldError(field: "image", "expected an image reference")
        }
        let probe = json["readinessProbe"] ?? .null
        let delay: Int
        do { delay = try probe.int("initialDelaySeconds", or: 0) } catch { throw error.inside("readinessProbe") }
        self.init(name: name, image: image, readinessDelaySeconds: delay)
    }
}
