/// The parts of a pod template's container that rollouts care about.
public struct ContainerSpec: Sendable, Hashable {
    /// The container name, unique within the pod.
    public let name: String
    /// The parsed image reference.
    public let image: ImageReference
    /// `readinessProbe.initialDelaySeconds`, or `nil` when there is no readiness probe or no delay.
    public let readinessInitialDelaySeconds: Int?

    /// Creates a container.
    public init(name: String, image: ImageReference, readinessInitialDelaySeconds: Int? = nil) {
        self.name = name
        self.image = image
        self.readinessInitialDelaySeconds = readinessInitialDelaySeconds
    }
}
