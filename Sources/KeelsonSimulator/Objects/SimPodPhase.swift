/// A pod's lifecycle phase, spelled as Kubernetes spells it.
public enum SimPodPhase: String, Codable, Sendable, Hashable {
    /// Created; containers not started yet.
    case pending = "Pending"
    /// Containers started (ready or not).
    case running = "Running"
}
