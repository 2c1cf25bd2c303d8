/// What one deployment sync produced.
public struct DeploymentSyncResult: Sendable, Hashable {
    /// The Deployment with its new annotations and status.
    public var deployment: SimDeployment
    /// The Deployment's ReplicaSets after the sync, oldest first; deleted ones are gone.
    public var replicaSets: [SimReplicaSet]
    /// What the controller did.
    public var events: [SimEvent]
}
