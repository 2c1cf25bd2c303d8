import KeelsonKubernetes

/// The rolling update: upstream `rolling.go`.
extension DeploymentController {
    /// One step of a rolling update: scale up the new ReplicaSet if allowed, else scale down old ones if allowed,
    /// else clean up history once complete (upstream `rolloutRolling`).
    mutating func rolloutRolling() throws(NameCollision) {
        let (created, old) = try allReplicaSetsSyncingRevision(createIfNotExisted: true)
        guard let new = created else { return }
        let all = old + [new]
        if reconcileNewReplicaSet(all: all, new: new) {
            syncRolloutStatus(all: all, new: new)
            return
        }
        if reconcileOldReplicaSets(all: all, old: Self.active(old), new: new) {
            syncRolloutStatus(all: all, new: new)
            return
        }
        if RolloutRules.deploymentComplete(deployment, deployment.status) {
            cleanupDeployment(old)
        }
        syncRolloutStatus(all: all, new: new)
    }

    /// Scales the new ReplicaSet up as far as `maxSurge` allows, or down to `replicas` if above it
    /// (upstream `reconcileNewReplicaSet`).
    ///
    /// - Returns: Whether it was scaled.
    mutating func reconcileNewReplicaSet(all: [ReplicaSet], new: ReplicaSet) -> Bool {
        if new.spec.replicas == deployment.spec.replicas { return false }
        if new.spec.replicas > deployment.spec.replicas {
            return scaleReplicaSetAndRecordEvent(new, to: deployment.spec.replicas).scaled
        }
        let count = RolloutRules.newReplicaSetReplicas(deployment.spec, allReplicaSets: all, newReplicaSet: new)
        return scaleReplicaSetAndRecordEvent(new, to: count).scaled
    }

    /// Scales old ReplicaSets down as far as availability allows (upstream `reconcileOldReplicaSets`).
    ///
    /// At most `allPods - minAvailable - newUnavailable` pods go, so unavailable new pods never let availability
    /// drop further; unhealthy old replicas go first, then available ones, oldest ReplicaSet first.
    ///
    /// - Returns: Whether anything was scaled down.
    mutating func reconcileOldReplicaSets(all: [ReplicaSet], old: [ReplicaSet], new: ReplicaSet) -> Bool {
        if RolloutRules.replicaCount(old) == 0 { return false }
        let allPodsCount = RolloutRules.replicaCount(all)
        let minAvailable = deployment.spec.replicas - RolloutRules.maxUnavailable(deployment.spec)
        let newReplicaSetUnavailablePodCount = new.spec.replicas - new.status.availableReplicas
        let maxScaledDown = allPodsCount - minAvailable - newReplicaSetUnavailablePodCount
        if maxScaledDown <= 0 { return false }

        guard let (cleaned, cleanupCount) = cleanupUnhealthyReplicas(old, maxCleanupCount: maxScaledDown) else {
            return false
        }
        let scaledDownCount = scaleDownOldReplicaSetsForRollingUpdate(all: cleaned + [new], old: cleaned)
        return cleanupCount + scaledDownCount > 0
    }

    /// Scales old ReplicaSets down by their unavailable replicas, oldest first, at most `maxCleanupCount` in all
    /// (upstream `cleanupUnhealthyReplicas`).
    ///
    /// - Returns: The old ReplicaSets as written, oldest first, and how many replicas were removed; `nil` when a
    ///   ReplicaSet reports more available pods than it wants, which upstream treats as an error that stops the
    ///   scale-down for this sync (ReplicaSets already scaled stay scaled).
    mutating func cleanupUnhealthyReplicas(_ old: [ReplicaSet], maxCleanupCount: Int)
        -> (old: [ReplicaSet], count: Int)?
    {
        var old = old.sorted(by: ReplicaSetOrder.byCreation)
        var totalScaledDown = 0
        for index in old.indices {
            if totalScaledDown >= maxCleanupCount { break }
            let target = old[index]
            if target.spec.replicas == 0 { continue }
            if target.spec.replicas == target.status.availableReplicas { continue }
            let scaledDownCount = min(
                maxCleanupCount - totalScaledDown, target.spec.replicas - target.status.availableReplicas)
            if scaledDownCount < 0 { return nil }
            old[index] = scaleReplicaSetAndRecordEvent(target, to: target.spec.replicas - scaledDownCount).replicaSet
            totalScaledDown += scaledDownCount
        }
        return (old, totalScaledDown)
    }

    /// Scales old ReplicaSets down, oldest first, while more than `minAvailable` pods are available
    /// (upstream `scaleDownOldReplicaSetsForRollingUpdate`).
    ///
    /// - Returns: How many replicas were removed.
    mutating func scaleDownOldReplicaSetsForRollingUpdate(all: [ReplicaSet], old: [ReplicaSet]) -> Int {
        let minAvailable = deployment.spec.replicas - RolloutRules.maxUnavailable(deployment.spec)
        let availablePodCount = RolloutRules.availableReplicaCount(all)
        if availablePodCount <= minAvailable { return 0 }
        let totalScaleDownCount = availablePodCount - minAvailable
        var totalScaledDown = 0
        for target in old.sorted(by: ReplicaSetOrder.byCreation) {
            if totalScaledDown >= totalScaleDownCount { break }
            if target.spec.replicas == 0 { continue }
            let scaleDownCount = min(target.spec.replicas, totalScaleDownCount - totalScaledDown)
            scaleReplicaSetAndRecordEvent(target, to: target.spec.replicas - scaleDownCount)
            totalScaledDown += scaleDownCount
        }
        return totalScaledDown
    }
}
