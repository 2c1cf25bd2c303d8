import KeelsonKubernetes

/// What one deployment sync produced.
public struct DeploymentSyncResult: Sendable, Hashable {
    /// The Deployment with its new annotations and status.
    public var deployment: Deployment
    /// The Deployment's ReplicaSets after the sync, oldest first; deleted ones are gone.
    public var replicaSets: [ReplicaSet]
    /// What the controller did.
    public var events: [Event]
}
