import KeelsonKubernetes
import KeelsonManifests

/// The parts of a container the simulator acts on.
public struct SimContainer: Codable, Sendable, Hashable {
    /// The container name.
    public var name: String
    /// The image reference as written, which fault injection keys on.
    public var image: String
    /// Seconds from pod creation until the readiness probe first passes (0 without a probe).
    public var readinessDelaySeconds: Int

    /// Creates a container.
    /// This container running `image`.
    func withImage(_ image: String) -> SimContainer {
        SimContainer(name: name, image: image, readinessDelaySeconds: readinessDelaySeconds)
    }

    public init(name: String, image: String, readinessDelaySeconds: Int = 0) {
        self.name = name
        self.image = image
        self.readinessDelaySeconds = readinessDelaySeconds
    }

    /// Copies a manifest container.
    public init(_ container: ContainerSpec) {
        self.init(
            name: container.name, image: container.image.description,
            readinessDelaySeconds: container.readinessInitialDelaySeconds ?? 0)
    }
}
