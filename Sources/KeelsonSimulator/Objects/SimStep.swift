import KeelsonKubernetes

/// The outcome of advancing the cluster's clock.
public struct SimStep: Sendable, Hashable {
    /// The cluster at the new time.
    public var cluster: SimCluster
    /// Everything the controllers did on the way, in order.
    public var events: [Event]
}
