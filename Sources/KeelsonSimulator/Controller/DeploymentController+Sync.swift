import KeelsonKubernetes

/// Scaling, paused Deployments, history cleanup and status: upstream `sync.go`.
extension DeploymentController {
    /// Reconciles a scaling event or a paused Deployment without rolling out (upstream `sync`).
    mutating func sync() throws(NameCollision) {
        let (new, old) = try allReplicaSetsSyncingRevision(createIfNotExisted: false)
        scale(new: new, old: old)
        if deployment.spec.paused {
            cleanupDeployment(old)
        }
        syncDeploymentStatus(all: old + [new].compactMap { $0 }, new: new)
    }

    /// Whether the Deployment's replicas differ from those its active ReplicaSets were last scaled for
    /// (upstream `isScalingEvent`).
    mutating func isScalingEvent() throws(NameCollision) -> Bool {
        let (new, old) = try allReplicaSetsSyncingRevision(createIfNotExisted: false)
        for replicaSet in Self.active(old + [new]) {
            guard let desired = RevisionAnnotations.nonNegativeInteger(replicaSet, RevisionAnnotations.desiredReplicas)
            else { continue }
            if desired != deployment.spec.replicas { return true }
        }
        return false
    }

    /// Brings the ReplicaSets' sizes in line with the Deployment's replicas (upstream `scale`).
    ///
    /// A single active ReplicaSet (or, with none, the newest) takes all replicas; a saturated new ReplicaSet makes
    /// the old ones go to zero; otherwise a rolling Deployment spreads the difference in proportion to each
    /// ReplicaSet's size, larger ones first, leftovers to the largest.
    mutating func scale(new: ReplicaSet?, old: [ReplicaSet]) {
        if let activeOrLatest = Self.findActiveOrLatest(new: new, old: old) {
            if activeOrLatest.spec.replicas != deployment.spec.replicas {
                scaleReplicaSetAndRecordEvent(activeOrLatest, to: deployment.spec.replicas)
            }
            return
        }
        if RolloutRules.isSaturated(deployment.spec, new) {
            for replicaSet in Self.active(old) {
                scaleReplicaSetAndRecordEvent(replicaSet, to: 0)
            }
            return
        }
        guard deployment.spec.strategy.isRollingUpdate else { return }

        var all = Self.active(old + [new])
        let allReplicas = RolloutRules.replicaCount(all)
        let allowedSize =
            deployment.spec.replicas > 0 ? deployment.spec.replicas + RolloutRules.maxSurge(deployment.spec) : 0
        let replicasToAdd = allowedSize - allReplicas
        var operation = ""
        if replicasToAdd > 0 {
            all.sort(by: ReplicaSetOrder.bySizeNewer)
            operation = "up"
        } else if replicasToAdd < 0 {
            all.sort(by: ReplicaSetOrder.bySizeOlder)
            operation = "down"
        }

        var replicasAdded = 0
        var sizes: [String: Int] = [:]
        for replicaSet in all {
            if replicasToAdd != 0 {
                let proportion = RolloutRules.proportion(
                    of: replicaSet, deployment: deployment, replicasToAdd: replicasToAdd, replicasAdded: replicasAdded)
                sizes[replicaSet.name] = replicaSet.spec.replicas + proportion
                replicasAdded += proportion
            } else {
                sizes[replicaSet.name] = replicaSet.spec.replicas
            }
        }
        for (index, replicaSet) in all.enumerated() {
            var size = sizes[replicaSet.name, default: 0]
            if index == 0 && replicasToAdd != 0 {
                size = max(size + replicasToAdd - replicasAdded, 0)
            }
            scaleReplicaSet(replicaSet, to: size, operation: operation)
        }
    }

    /// The only active ReplicaSet, or the newest when none is active; `nil` when several are active
    /// (upstream `FindActiveOrLatest`).
    static func findActiveOrLatest(new: ReplicaSet?, old: [ReplicaSet]) -> ReplicaSet? {
        if new == nil && old.isEmpty { return nil }
        let newestFirst = old.sorted { ReplicaSetOrder.byCreation($1, $0) }
        let all = active(newestFirst + [new])
        switch all.count {
        case 0: return new ?? newestFirst.first
        case 1: return all[0]
        default: return nil
        }
    }

    /// Deletes the oldest empty ReplicaSets beyond `revisionHistoryLimit` (upstream `cleanupDeployment`).
    mutating func cleanupDeployment(_ old: [ReplicaSet]) {
        guard RolloutRules.hasRevisionHistoryLimit(deployment.spec),
            let limit = deployment.spec.revisionHistoryLimit
        else { return }
        let excess = old.count - limit
        guard excess > 0 else { return }
        for replicaSet in old.sorted(by: ReplicaSetOrder.byRevision).prefix(excess) {
            // Only ReplicaSets that want and have no pods; the copies are those the sync started from.
            if replicaSet.status.replicas != 0 || replicaSet.spec.replicas != 0 { continue }
            replicaSets[replicaSet.name] = nil
        }
    }

    /// Writes the status computed from the ReplicaSets (upstream `syncDeploymentStatus`).
    mutating func syncDeploymentStatus(all: [ReplicaSet], new: ReplicaSet?) {
        deployment.status = calculateStatus(all: all, new: new)
    }

    /// The Deployment's status from its ReplicaSets' statuses, with the Available condition
    /// (upstream `calculateStatus`).
    func calculateStatus(all: [ReplicaSet], new: ReplicaSet?) -> DeploymentStatus {
        let available = RolloutRules.availableReplicaCount(all)
        var status = DeploymentStatus()
        status.observedGeneration = deployment.generation
        status.replicas = RolloutRules.actualReplicaCount(all)
        status.updatedReplicas = RolloutRules.actualReplicaCount([new].compactMap { $0 })
        status.readyReplicas = RolloutRules.readyReplicaCount(all)
        status.availableReplicas = available
        status.unavailableReplicas = max(RolloutRules.replicaCount(all) - available, 0)
        status.collisionCount = deployment.status.collisionCount
        status.conditions = deployment.status.conditions
        if available >= deployment.spec.replicas - RolloutRules.maxUnavailable(deployment.spec) {
            status.setCondition(
                DeploymentCondition(
                    type: .available, status: .true, reason: DeploymentCondition.Reason.minimumReplicasAvailable,
                    message: "Deployment has minimum availability.", time: now))
        } else {
            status.setCondition(
                DeploymentCondition(
                    type: .available, status: .false, reason: DeploymentCondition.Reason.minimumReplicasUnavailable,
                    message: "Deployment does not have minimum availability.", time: now))
        }
        return status
    }

    /// Marks pausing and resuming in the Progressing condition, so time spent paused never counts against the
    /// progress deadline (upstream `checkPausedConditions`).
    mutating func checkPausedConditions() {
        guard RolloutRules.hasProgressDeadline(deployment.spec) else { return }
        let condition = deployment.status.condition(.progressing)
        if condition?.reason == DeploymentCondition.Reason.progressDeadlineExceeded { return }
        let pausedConditionExists = condition?.reason == DeploymentCondition.Reason.deploymentPaused
        if deployment.spec.paused && !pausedConditionExists {
            deployment.status.setCondition(
                DeploymentCondition(
                    type: .progressing, status: .unknown, reason: DeploymentCondition.Reason.deploymentPaused,
                    message: "Deployment is paused", time: now))
        } else if !deployment.spec.paused && pausedConditionExists {
            deployment.status.setCondition(
                DeploymentCondition(
                    type: .progressing, status: .unknown, reason: DeploymentCondition.Reason.deploymentResumed,
                    message: "Deployment is resumed", time: now))
        }
    }
}
