/// A Deployment's pod template.
public struct PodTemplate: Sendable, Hashable {
    /// `metadata.labels`.
    public let labels: [String: String]
    /// `metadata.annotations`.
    public let annotations: [String: String]
    /// `spec.containers`, in order.
    public let containers: [ContainerSpec]
    /// The whole template as written, for the pod-template hash.
    public let raw: JSONValue

    /// Creates a template.
    public init(labels: [String: String], annotations: [String: String], containers: [ContainerSpec], raw: JSONValue) {
        self.labels = labels
        self.annotations = annotations
        self.containers = containers
        self.raw = raw
    }
}
