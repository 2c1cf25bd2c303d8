import KeelsonKubernetes

/// The recreate strategy: upstream `recreate.go`.
extension DeploymentController {
    /// Scales every old ReplicaSet to zero, waits until no old pod runs, then creates and scales up the new one
    /// (upstream `rolloutRecreate`).
    mutating func rolloutRecreate() throws(NameCollision) {
        // The new ReplicaSet is not created yet, so nothing scales up before the old pods are gone.
        var (new, old) = try allReplicaSetsSyncingRevision(createIfNotExisted: false)
        var all = old + [new].compactMap { $0 }

        var scaledDown = false
        for replicaSet in Self.active(old) where scaleReplicaSetAndRecordEvent(replicaSet, to: 0).scaled {
            scaledDown = true
        }
        if scaledDown || oldPodsRunning(new: new, old: old) {
            syncRolloutStatus(all: all, new: new)
            return
        }
        if new == nil {
            (new, old) = try allReplicaSetsSyncingRevision(createIfNotExisted: true)
            all = old + [new].compactMap { $0 }
        }
        if let new {
            scaleReplicaSetAndRecordEvent(new, to: deployment.spec.replicas)
        }
        if RolloutRules.deploymentComplete(deployment, deployment.status) {
            cleanupDeployment(old)
        }
        syncRolloutStatus(all: all, new: new)
    }

    /// Whether an old ReplicaSet reports pods or an old pod still exists (upstream `oldPodsRunning`; the
    /// simulator has no terminal pod phases, so every remaining old pod counts).
    func oldPodsRunning(new: ReplicaSet?, old: [ReplicaSet]) -> Bool {
        if RolloutRules.actualReplicaCount(old) > 0 { return true }
        return pods.contains { $0.owner != new?.name }
    }
}
