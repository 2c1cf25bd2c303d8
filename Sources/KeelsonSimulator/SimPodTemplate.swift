import KeelsonKubernetes
import KeelsonManifests

/// A pod template: its canonical JSON, which identifies and hashes it, and the containers the simulator runs.
///
/// Two templates are the same template exactly when their canonical JSON is byte-for-byte equal; this plays the
/// part of upstream's `EqualIgnoreHash`, because the `pod-template-hash` label is never stored in the template.
public struct SimPodTemplate: Codable, Sendable, Hashable {
    /// The template as canonical compact JSON (sorted keys), without the `pod-template-hash` label.
    public let json: String
    /// The containers, in order.
    public var containers: [SimContainer]
    /// ``json`` parsed, kept so that showing thousands of objects never parses a template twice.
    public let value: JSONValue

    /// Creates a template.
    public init(json: String, containers: [SimContainer]) {
        self.init(json: json, containers: containers, value: (try? JSONValue(json: Array(json.utf8))) ?? .null)
    }

    private init(json: String, containers: [SimContainer], value: JSONValue) {
        self.json = json
        self.containers = containers
        self.value = value
    }

    /// Copies a manifest template.
    public init(_ template: PodTemplate) {
        self.init(
            json: String(decoding: template.raw.canonicalJSON, as: UTF8.self),
            containers: template.containers.map(SimContainer.init), value: template.raw)
    }

    private enum CodingKeys: String, CodingKey {
        case json, containers
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            json: try container.decode(String.self, forKey: .json),
            containers: try container.decode([SimContainer].self, forKey: .containers))
    }

    public static func == (lhs: SimPodTemplate, rhs: SimPodTemplate) -> Bool {
        lhs.json == rhs.json && lhs.containers == rhs.containers
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(json)
        hasher.combine(containers)
    }

    /// This template with `container`'s image replaced, as `kubectl set image` changes it. The JSON stays
    /// canonical, so setting the image back yields the original template and its pod-template hash.
    ///
    /// - Throws: ``SimulatorError/containerNotFound(container:available:)`` when no container has that name.
    public func settingImage(_ image: String, forContainer container: String) throws(SimulatorError) -> SimPodTemplate {
        guard containers.contains(where: { $0.name == container }) else {
            throw .containerNotFound(container: container, available: containers.map(\.name))
        }
        let edited = value.replacingImage(of: container, with: image)
        return SimPodTemplate(
            json: String(decoding: edited.canonicalJSON, as: UTF8.self),
            containers: containers.map { $0.name == container ? $0.withImage(image) : $0 }, value: edited)
    }

    /// The container images, in order.
    public var images: [String] { containers.map(\.image) }

    /// Seconds from creation until a healthy pod of this template is ready: the slowest container's probe delay.
    public var readinessDelaySeconds: Int { containers.map(\.readinessDelaySeconds).max() ?? 0 }
}
