import KeelsonKubernetes

/// The orders upstream sorts ReplicaSets in (`controller_utils.go` and `deployment_util.go`).
public enum ReplicaSetOrder {
    /// Oldest first, name as tie-breaker (upstream `ReplicaSetsByCreationTimestamp`).
    public static func byCreation(_ lhs: ReplicaSet, _ rhs: ReplicaSet) -> Bool {
        if lhs.createdAt == rhs.createdAt { return lhs.name < rhs.name }
        return lhs.createdAt < rhs.createdAt
    }

    /// Largest first, older first among equals: who loses replicas first when scaling down
    /// (upstream `ReplicaSetsBySizeOlder`).
    public static func bySizeOlder(_ lhs: ReplicaSet, _ rhs: ReplicaSet) -> Bool {
        if lhs.spec.replicas == rhs.spec.replicas { return byCreation(lhs, rhs) }
        return lhs.spec.replicas > rhs.spec.replicas
    }

    /// Largest first, newer first among equals: who gains replicas first when scaling up
    /// (upstream `ReplicaSetsBySizeNewer`).
    public static func bySizeNewer(_ lhs: ReplicaSet, _ rhs: ReplicaSet) -> Bool {
        if lhs.spec.replicas == rhs.spec.replicas { return byCreation(rhs, lhs) }
        return lhs.spec.replicas > rhs.spec.replicas
    }

    /// Lowest revision first, creation order for equal or unparsable revisions (upstream `ReplicaSetsByRevision`).
    public static func byRevision(_ lhs: ReplicaSet, _ rhs: ReplicaSet) -> Bool {
        guard let left = lhs.revision, let right = rhs.revision, left != right else { return byCreation(lhs, rhs) }
        return left < right
    }
}
