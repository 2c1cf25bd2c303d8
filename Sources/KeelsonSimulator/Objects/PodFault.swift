/// A misbehaviour injected into every pod that runs a given image.
public enum PodFault: Codable, Sendable, Hashable {
    /// The container runs but its readiness probe never passes.
    case neverReady
    /// The container exits and restarts with kubelet's back-off (10 s doubling to 300 s); never ready.
    case crashLoop
    /// The container needs this many seconds more than its probe delay before it is ready.
    case slowStart(seconds: Int)
}
