import KeelsonKubernetes

extension DeploymentController {
    /// The new and old ReplicaSets, with the revisions synced (upstream `getAllReplicaSetsAndSyncRevision`).
    ///
    /// - Parameter createIfNotExisted: Create the new ReplicaSet when no ReplicaSet has the Deployment's template.
    /// - Returns: The new ReplicaSet (`nil` when it does not exist and was not created) and all old ones.
    mutating func allReplicaSetsSyncingRevision(createIfNotExisted: Bool) throws(NameCollision)
        -> (new: ReplicaSet?, old: [ReplicaSet])
    {
        let list = replicaSetList
        let existing = Self.findNewReplicaSet(deployment, list)
        let old = list.filter { $0.name != existing?.name }
        let new = try newReplicaSet(existing: existing, oldReplicaSets: old, createIfNotExisted: createIfNotExisted)
        return (new, old)
    }

    /// The oldest ReplicaSet whose template is the Deployment's (upstream `FindNewReplicaSet`).
    static func findNewReplicaSet(_ deployment: Deployment, _ replicaSets: [ReplicaSet]) -> ReplicaSet? {
        replicaSets.sorted(by: ReplicaSetOrder.byCreation).first { $0.spec.template == deployment.spec.template }
    }

    /// Upstream `getNewReplicaSet`: syncs the existing new ReplicaSet's annotations and the Deployment's revision,
    /// or creates the new ReplicaSet.
    private mutating func newReplicaSet(
        existing: ReplicaSet?, oldReplicaSets: [ReplicaSet], createIfNotExisted: Bool
    ) throws(NameCollision) -> ReplicaSet? {
        let newRevision = RevisionAnnotations.maxRevision(oldReplicaSets) + 1
        if var replicaSet = existing {
            let annotationsUpdated = RevisionAnnotations.setNewReplicaSetAnnotations(
                deployment: deployment, newReplicaSet: &replicaSet, newRevision: newRevision, exists: true)
            if annotationsUpdated || replicaSet.spec.minReadySeconds != deployment.spec.minReadySeconds {
                // Upstream returns right after this update; the Deployment's revision follows on the next sync.
                replicaSet.spec.minReadySeconds = deployment.spec.minReadySeconds
                replicaSets[replicaSet.name] = replicaSet
                return replicaSet
            }
            deployment.annotations[RevisionAnnotations.revision] = replicaSet.annotations[RevisionAnnotations.revision]
            if RolloutRules.hasProgressDeadline(deployment.spec), deployment.status.condition(.progressing) == nil {
                deployment.status.setCondition(
                    DeploymentCondition(
                        type: .progressing, status: .true, reason: DeploymentCondition.Reason.foundNewReplicaSet,
                        message: "Found new replica set \"\(replicaSet.name)\"", time: now))
            }
            return replicaSet
        }
        guard createIfNotExisted else { return nil }

        let hash = PodTemplateHash.compute(deployment.spec.template, collisionCount: deployment.status.collisionCount)
        var replicaSet = ReplicaSet(
            name: "\(deployment.name)-\(hash)", namespace: deployment.namespace, owner: deployment.name,
            podTemplateHash: hash, template: deployment.spec.template, replicas: 0,
            minReadySeconds: deployment.spec.minReadySeconds, createdAt: now)
        let newReplicasCount = RolloutRules.newReplicaSetReplicas(
            deployment.spec, allReplicaSets: oldReplicaSets + [replicaSet], newReplicaSet: replicaSet)
        replicaSet.spec.replicas = newReplicasCount
        RevisionAnnotations.setNewReplicaSetAnnotations(
            deployment: deployment, newReplicaSet: &replicaSet, newRevision: newRevision, exists: false)

        if replicaSets[replicaSet.name] != nil {
            // The name is taken by a ReplicaSet with another template (an equal one would have been found above).
            deployment.status.collisionCount = (deployment.status.collisionCount ?? 0) + 1
            throw NameCollision(name: replicaSet.name)
        }
        replicaSets[replicaSet.name] = replicaSet
        if newReplicasCount > 0 {
            record("ScalingReplicaSet", "Scaled up replica set \(replicaSet.name) to \(newReplicasCount)")
        }
        deployment.annotations[RevisionAnnotations.revision] = String(newRevision)
        if RolloutRules.hasProgressDeadline(deployment.spec) {
            deployment.status.setCondition(
                DeploymentCondition(
                    type: .progressing, status: .true, reason: DeploymentCondition.Reason.newReplicaSetCreated,
                    message: "Created new replica set \"\(replicaSet.name)\"", time: now))
        }
        return replicaSet
    }

    /// Scales `replicaSet` to `newScale` when it differs (upstream `scaleReplicaSetAndRecordEvent`).
    ///
    /// - Returns: Whether the size changed, and the ReplicaSet as written.
    @discardableResult
    mutating func scaleReplicaSetAndRecordEvent(_ replicaSet: ReplicaSet, to newScale: Int)
        -> (scaled: Bool, replicaSet: ReplicaSet)
    {
        if replicaSet.spec.replicas == newScale { return (false, replicaSet) }
        return scaleReplicaSet(replicaSet, to: newScale, operation: replicaSet.spec.replicas < newScale ? "up" : "down")
    }

    /// Writes a new size and the replicas annotations (upstream `scaleReplicaSet`).
    ///
    /// - Returns: Whether the size changed, and the ReplicaSet as written.
    @discardableResult
    mutating func scaleReplicaSet(_ replicaSet: ReplicaSet, to newScale: Int, operation: String)
        -> (scaled: Bool, replicaSet: ReplicaSet)
    {
        let desired = deployment.spec.replicas
        let maxReplicas = desired + RolloutRules.maxSurge(deployment.spec)
        let sizeNeedsUpdate = replicaSet.spec.replicas != newScale
        let annotationsNeedUpdate = RevisionAnnotations.replicasAnnotationsNeedUpdate(
            replicaSet, desiredReplicas: desired, maxReplicas: maxReplicas)
        guard sizeNeedsUpdate || annotationsNeedUpdate else { return (false, replicaSet) }
        var updated = replicaSet
        updated.spec.replicas = newScale
        RevisionAnnotations.setReplicasAnnotations(&updated, desiredReplicas: desired, maxReplicas: maxReplicas)
        replicaSets[updated.name] = updated
        if sizeNeedsUpdate {
            record(
                "ScalingReplicaSet",
                "Scaled \(operation) replica set \(updated.name) to \(newScale) from \(replicaSet.spec.replicas)")
        }
        return (sizeNeedsUpdate, updated)
    }
}
