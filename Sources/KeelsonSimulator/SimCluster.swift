/// A whole simulated cluster: a snapshot of its clock, objects and faults, as one persistable value.
///
/// Nothing in it reads the wall clock or a random source: ``step(to:)`` is a pure function of the snapshot.
public struct SimCluster: Codable, Sendable, Hashable {
    /// The cluster's clock.
    public var now: SimTime
    /// Deployments, in namespace and name order.
    public private(set) var deployments: [SimDeployment]
    /// ReplicaSets, in namespace and name order.
    public private(set) var replicaSets: [SimReplicaSet]
    /// Pods, in namespace and name order.
    public private(set) var pods: [SimPod]
    /// The injected faults.
    public var faults: FaultPlan
    /// The serial that names the next pod.
    public private(set) var nextPodSerial: Int

    /// Creates an empty cluster.
    public init(now: SimTime = .epoch, faults: FaultPlan = FaultPlan()) {
        self.now = now
        self.deployments = []
        self.replicaSets = []
        self.pods = []
        self.faults = faults
        self.nextPodSerial = 0
    }

    /// The Deployment `namespace/name`, if any.
    public func deployment(_ name: String, namespace: String = "default") -> SimDeployment? {
        deploymentIndex(name, namespace).map { deployments[$0] }
    }

    /// The ReplicaSets a Deployment owns, oldest first.
    public func replicaSets(of deployment: String, namespace: String = "default") -> [SimReplicaSet] {
        replicaSets.filter { $0.namespace == namespace && $0.owner == deployment }.sorted(
            by: ReplicaSetOrder.byCreation)
    }

    /// The pods a Deployment's ReplicaSets own, in name order.
    public func pods(of deployment: String, namespace: String = "default") -> [SimPod] {
        let owners = Set(replicaSets(of: deployment, namespace: namespace).map(\.name))
        return pods.filter { $0.namespace == namespace && owners.contains($0.owner) }
    }

    /// Creates a Deployment or updates its spec and annotations, as `kubectl apply` does.
    ///
    /// A changed spec increments the generation. The given annotations replace the Deployment's own; those the
    /// controller manages (such as the revision) are kept.
    ///
    /// - Parameters:
    ///   - spec: The desired state.
    ///   - name: The Deployment's name.
    ///   - namespace: Its namespace.
    ///   - annotations: Its own annotations, such as `kubernetes.io/change-cause`.
    public mutating func apply(
        _ spec: SimDeploymentSpec, name: String, namespace: String = "default", annotations: [String: String] = [:]
    ) {
        let ownAnnotations = annotations.filter { !RevisionAnnotations.notCopied.contains($0.key) }
        let position = deploymentPosition(name, namespace)
        guard position < deployments.count, deployments[position].namespace == namespace,
            deployments[position].name == name
        else {
            deployments.insert(
                SimDeployment(
                    name: name, namespace: namespace, spec: spec, annotations: ownAnnotations, createdAt: now),
                at: position)
            return
        }
        let index = position
        if deployments[index].spec != spec {
            deployments[index].spec = spec
            deployments[index].generation += 1
        }
        let managed = deployments[index].annotations.filter { RevisionAnnotations.notCopied.contains($0.key) }
        deployments[index].annotations = managed.merging(ownAnnotations) { kept, _ in kept }
    }

    /// Rolls a Deployment back to an earlier revision, as `kubectl rollout undo` does.
    ///
    /// The ReplicaSet of that revision lends the Deployment its template and annotations; on the next sync it
    /// becomes the new ReplicaSet and gets the next revision number, its old one recorded in `revision-history`.
    ///
    /// - Parameters:
    ///   - name: The Deployment's name.
    ///   - namespace: Its namespace.
    ///   - revision: The revision to return to; `nil` or 0 for the previous one.
    /// - Returns: A `DeploymentRollback` event, or a `DeploymentRollbackTemplateUnchanged` warning when the
    ///   revision's template is already the Deployment's (nothing changes then).
    /// - Throws: ``SimulatorError`` when the Deployment or the revision does not exist or the Deployment is paused.
    public mutating func rollback(_ name: String, namespace: String = "default", toRevision revision: Int? = nil)
        throws(SimulatorError) -> SimEvent
    {
        guard let index = deploymentIndex(name, namespace) else {
            throw .deploymentNotFound(namespace: namespace, name: name)
        }
        if deployments[index].spec.paused { throw .rollbackOfPausedDeployment(deployment: name) }
        let owned = replicaSets(of: name, namespace: namespace)
        let target = revision.flatMap { $0 == 0 ? nil : $0 } ?? RevisionAnnotations.lastRevision(owned)
        if target == 0 { throw .noPreviousRevision(deployment: name) }
        guard let replicaSet = owned.first(where: { $0.revision == target }) else {
            throw .revisionNotFound(deployment: name, revision: target)
        }
        var event = SimEvent(
            time: now, kind: "Deployment", namespace: namespace, name: name, reason: "DeploymentRollback",
            message: "Rolled back deployment \"\(name)\" to revision \(target)")
        if replicaSet.template == deployments[index].spec.template {
            event.type = "Warning"
            event.reason = "DeploymentRollbackTemplateUnchanged"
            event.message = "The rollback revision contains the same template as current deployment \"\(name)\""
            return event
        }
        deployments[index].spec.template = replicaSet.template
        deployments[index].generation += 1
        RevisionAnnotations.setDeploymentAnnotations(&deployments[index], to: replicaSet)
        return event
    }

    /// Deletes a Deployment with its ReplicaSets and pods, as garbage collection does after
    /// `kubectl delete deployment`. Returns whether it existed.
    @discardableResult
    public mutating func deleteDeployment(_ name: String, namespace: String = "default") -> Bool {
        guard let index = deploymentIndex(name, namespace) else { return false }
        let owned = Set(replicaSets(of: name, namespace: namespace).map(\.name))
        deployments.remove(at: index)
        replicaSets.removeAll { $0.namespace == namespace && owned.contains($0.name) }
        pods.removeAll { $0.namespace == namespace && owned.contains($0.owner) }
        return true
    }

    /// Deletes a pod, as `kubectl delete pod` does; its ReplicaSet replaces it on the next sync.
    ///
    /// - Throws: ``SimulatorError/podNotFound(namespace:name:)``.
    public mutating func deletePod(_ name: String, namespace: String = "default") throws(SimulatorError) {
        guard let index = pods.firstIndex(where: { $0.namespace == namespace && $0.name == name }) else {
            throw .podNotFound(namespace: namespace, name: name)
        }
        pods.remove(at: index)
    }

    /// Runs the controllers once per simulated second from `now + 1` through `time`.
    ///
    /// Each second runs, in order: the deployment controller for every Deployment (namespace and name order), the
    /// ReplicaSet controller, then pod readiness and the ReplicaSets' status counts.
    ///
    /// - Parameter time: The time to stop at; no-op when not after `now`.
    /// - Returns: The cluster at `time` and the events of every second.
    public func step(to time: SimTime) -> SimStep {
        var cluster = self
        var events: [SimEvent] = []
        while cluster.now < time {
            cluster.now = cluster.now.adding(1)
            events += cluster.syncOnce()
        }
        return SimStep(cluster: cluster, events: events)
    }

    private mutating func syncOnce() -> [SimEvent] {
        var events: [SimEvent] = []
        // Group once per second: looking each Deployment's objects up in the whole cluster made a
        // second cost Deployments × (ReplicaSets + pods), minutes for 10,000 Deployments.
        var setsByDeployment = Dictionary(grouping: replicaSets) { OwnerKey(namespace: $0.namespace, owner: $0.owner) }
        let podsByReplicaSet = Dictionary(grouping: pods) { OwnerKey(namespace: $0.namespace, owner: $0.owner) }
        var syncedSets: [SimReplicaSet] = []
        syncedSets.reserveCapacity(replicaSets.count)
        for index in deployments.indices {
            let deployment = deployments[index]
            let owner = OwnerKey(namespace: deployment.namespace, owner: deployment.name)
            let owned = (setsByDeployment.removeValue(forKey: owner) ?? []).sorted(by: ReplicaSetOrder.byCreation)
            let ownedPods = owned.flatMap {
                podsByReplicaSet[OwnerKey(namespace: deployment.namespace, owner: $0.name)] ?? []
            }.sorted { $0.name < $1.name }
            let result = DeploymentController.sync(deployment, replicaSets: owned, pods: ownedPods, now: now)
            deployments[index] = result.deployment
            syncedSets += result.replicaSets
            events += result.events
        }
        // ReplicaSets whose Deployment is gone stay as they are.
        replicaSets = syncedSets + setsByDeployment.values.joined()
        replicaSets.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        let synced = ReplicaSetController.sync(
            replicaSets: replicaSets, pods: pods, now: now, nextPodSerial: &nextPodSerial)
        events += synced.events
        pods = PodLifecycle.advance(synced.pods, replicaSets: replicaSets, faults: faults, now: now)
        replicaSets = ReplicaSetController.updateStatuses(replicaSets, pods: pods)
        return events
    }

    private func deploymentIndex(_ name: String, _ namespace: String) -> Int? {
        let position = deploymentPosition(name, namespace)
        guard position < deployments.count, deployments[position].namespace == namespace,
            deployments[position].name == name
        else { return nil }
        return position
    }

    /// Where `namespace/name` is or would go in the sorted Deployments (binary search: applying
    /// thousands of Deployments must not search or sort the whole list each time).
    private func deploymentPosition(_ name: String, _ namespace: String) -> Int {
        var low = 0
        var high = deployments.count
        while low < high {
            let middle = (low + high) / 2
            if (deployments[middle].namespace, deployments[middle].name) < (namespace, name) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}

/// A namespace and an owner's name: how ReplicaSets find their Deployment and pods their
/// ReplicaSet. A struct, not a joined string: grouping 100,000 pods each simulated second must
/// not allocate a key per pod.
struct OwnerKey: Hashable {
    let namespace: String
    let owner: String
}
