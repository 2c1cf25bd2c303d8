import KeelsonKubernetes

/// A whole simulated cluster: a snapshot of its clock, objects and faults, as one persistable value.
///
/// Nothing in it reads the wall clock or a random source: ``step(to:)`` is a pure function of the snapshot.
public struct SimCluster: Codable, Sendable, Hashable {
    /// The cluster's clock.
    public var now: Time
    /// Each Deployment with what it owns, in namespace and name order.
    private(set) var workloads: [Workload]
    /// The injected faults.
    public var faults: FaultPlan
    /// The serial that names the next pod.
    public private(set) var nextPodSerial: Int

    /// Creates an empty cluster.
    public init(now: Time = .clusterEpoch, faults: FaultPlan = FaultPlan()) {
        self.init(now: now, faults: faults, nextPodSerial: 0, workloads: [])
    }

    private init(now: Time, faults: FaultPlan, nextPodSerial: Int, workloads: [Workload]) {
        self.now = now
        self.workloads = workloads
        self.faults = faults
        self.nextPodSerial = nextPodSerial
    }

    /// A cluster of objects, each list in namespace and name order. ReplicaSets and pods whose
    /// owner is gone are left out, as the garbage collector removes them.
    init(
        now: Time, faults: FaultPlan, nextPodSerial: Int, deployments: [Deployment],
        replicaSets: [ReplicaSet], pods: [Pod]
    ) {
        var setsByOwner = Dictionary(grouping: replicaSets) { OwnerKey(namespace: $0.namespace, owner: $0.owner) }
        let podsByOwner = Dictionary(grouping: pods) { OwnerKey(namespace: $0.namespace, owner: $0.owner) }
        let workloads = deployments.map { deployment in
            let sets = setsByOwner.removeValue(
                forKey: OwnerKey(namespace: deployment.namespace, owner: deployment.name))
            let owned = (sets ?? []).flatMap { podsByOwner[OwnerKey(namespace: $0.namespace, owner: $0.name)] ?? [] }
            return Workload(deployment, replicaSets: sets ?? [], pods: owned.sorted { $0.name < $1.name })
        }
        self.init(now: now, faults: faults, nextPodSerial: nextPodSerial, workloads: workloads)
    }

    private enum CodingKeys: String, CodingKey {
        case now, deployments, replicaSets, pods, faults, nextPodSerial
    }

    /// Reads the cluster as lists of objects, each in namespace and name order (how it is stored).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            now: try container.decode(Time.self, forKey: .now),
            faults: try container.decode(FaultPlan.self, forKey: .faults),
            nextPodSerial: try container.decode(Int.self, forKey: .nextPodSerial),
            deployments: try container.decode([Deployment].self, forKey: .deployments),
            replicaSets: try container.decode([ReplicaSet].self, forKey: .replicaSets),
            pods: try container.decode([Pod].self, forKey: .pods))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(now, forKey: .now)
        try container.encode(deployments, forKey: .deployments)
        try container.encode(replicaSets, forKey: .replicaSets)
        try container.encode(pods, forKey: .pods)
        try container.encode(faults, forKey: .faults)
        try container.encode(nextPodSerial, forKey: .nextPodSerial)
    }

    /// Deployments, in namespace and name order.
    public var deployments: [Deployment] { workloads.map(\.deployment) }

    /// ReplicaSets, in namespace and name order.
    public var replicaSets: [ReplicaSet] {
        workloads.flatMap(\.replicaSets).sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    /// Pods, in namespace and name order.
    public var pods: [Pod] {
        workloads.flatMap(\.pods).sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    /// The Deployment `namespace/name`, if any.
    public func deployment(_ name: String, namespace: String = "default") -> Deployment? {
        workloadIndex(name, namespace).map { workloads[$0].deployment }
    }

    /// The Deployment `namespace/name` with what it owns, if any.
    func workload(_ name: String, namespace: String) -> Workload? {
        workloadIndex(name, namespace).map { workloads[$0] }
    }

    /// The ReplicaSets a Deployment owns, oldest first.
    public func replicaSets(of deployment: String, namespace: String = "default") -> [ReplicaSet] {
        (workload(deployment, namespace: namespace)?.replicaSets ?? []).sorted(by: ReplicaSetOrder.byCreation)
    }

    /// The pods a Deployment's ReplicaSets own, in name order.
    public func pods(of deployment: String, namespace: String = "default") -> [Pod] {
        workload(deployment, namespace: namespace)?.pods ?? []
    }

    /// The ReplicaSet `namespace/name`, if any.
    public func replicaSet(_ name: String, namespace: String = "default") -> ReplicaSet? {
        for workload in workloads where workload.deployment.namespace == namespace {
            if let set = workload.replicaSets.first(where: { $0.name == name }) { return set }
        }
        return nil
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
    ///   - labels: Its `metadata.labels`; nil keeps the ones it has.
    public mutating func apply(
        _ spec: DeploymentSpec, name: String, namespace: String = "default", annotations: [String: String] = [:],
        labels: [String: String]? = nil
    ) {
        let ownAnnotations = annotations.filter { !RevisionAnnotations.notCopied.contains($0.key) }
        guard let index = workloadIndex(name, namespace) else {
            workloads.insert(
                Workload(
                    Deployment(
                        name: name, namespace: namespace, spec: spec, annotations: ownAnnotations,
                        labels: labels ?? [:], createdAt: now)),
                at: workloadPosition(name, namespace))
            return
        }
        if let labels { workloads[index].deployment.metadata.labels = labels }
        if workloads[index].deployment.spec != spec {
            workloads[index].deployment.spec = spec
            workloads[index].deployment.generation += 1
        }
        let managed = workloads[index].deployment.annotations.filter {
            RevisionAnnotations.notCopied.contains($0.key)
        }
        workloads[index].deployment.annotations = managed.merging(ownAnnotations) { kept, _ in kept }
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
        throws(SimulatorError) -> Event
    {
        guard let index = workloadIndex(name, namespace) else {
            throw .deploymentNotFound(namespace: namespace, name: name)
        }
        if workloads[index].deployment.spec.paused { throw .rollbackOfPausedDeployment(deployment: name) }
        let owned = replicaSets(of: name, namespace: namespace)
        let target = revision.flatMap { $0 == 0 ? nil : $0 } ?? RevisionAnnotations.lastRevision(owned)
        if target == 0 { throw .noPreviousRevision(deployment: name) }
        guard let replicaSet = owned.first(where: { $0.revision == target }) else {
            throw .revisionNotFound(deployment: name, revision: target)
        }
        var event = Event(
            about: Deployment.kind, namespace: namespace, name: name, reason: "DeploymentRollback",
            message: "Rolled back deployment \"\(name)\" to revision \(target)", at: now)
        // Upstream `SetFromReplicaSetTemplate`: the template without the ReplicaSet's hash label.
        let template = replicaSet.spec.template.settingLabel(PodTemplateSpec.hashLabel, to: nil)
        if template == workloads[index].deployment.spec.template {
            event.type = "Warning"
            event.reason = "DeploymentRollbackTemplateUnchanged"
            event.message = "The rollback revision contains the same template as current deployment \"\(name)\""
            return event
        }
        workloads[index].deployment.spec.template = template
        workloads[index].deployment.generation += 1
        RevisionAnnotations.setDeploymentAnnotations(&workloads[index].deployment, to: replicaSet)
        return event
    }

    /// Deletes a Deployment with its ReplicaSets and pods, as garbage collection does after
    /// `kubectl delete deployment`. Returns whether it existed.
    @discardableResult
    public mutating func deleteDeployment(_ name: String, namespace: String = "default") -> Bool {
        guard let index = workloadIndex(name, namespace) else { return false }
        workloads.remove(at: index)
        return true
    }

    /// Deletes a pod, as `kubectl delete pod` does; its ReplicaSet replaces it on the next sync.
    ///
    /// - Throws: ``SimulatorError/podNotFound(namespace:name:)``.
    public mutating func deletePod(_ name: String, namespace: String = "default") throws(SimulatorError) {
        for index in workloads.indices where workloads[index].deployment.namespace == namespace {
            if let pod = workloads[index].pods.firstIndex(where: { $0.name == name }) {
                workloads[index].pods.remove(at: pod)
                return
            }
        }
        throw .podNotFound(namespace: namespace, name: name)
    }

    /// Runs the controllers once per simulated second from `now + 1` through `time`.
    ///
    /// Each second runs, for every Deployment in namespace and name order: the deployment controller, the
    /// ReplicaSet controller for its ReplicaSets, then its pods' readiness and its ReplicaSets' status counts.
    ///
    /// - Parameter time: The time to stop at; no-op when not after `now`.
    /// - Returns: The cluster at `time` and the events of every second.
    public func step(to time: Time) -> SimStep {
        step(to: time, skippingAtRest: true)
    }

    /// ``step(to:)``, optionally syncing workloads at rest too (which changes nothing: tests
    /// compare both ways).
    func step(to time: Time, skippingAtRest: Bool) -> SimStep {
        var cluster = self
        var events: [Event] = []
        while cluster.now < time {
            cluster.now = cluster.now.adding(1)
            events += cluster.syncOnce(skippingAtRest: skippingAtRest)
        }
        return SimStep(cluster: cluster, events: events)
    }

    /// One simulated second. Workloads at rest are left alone: a sync would change nothing in
    /// them, and an idle cluster of 10,000 Deployments must not cost a sync of each every second.
    private mutating func syncOnce(skippingAtRest: Bool) -> [Event] {
        var events: [Event] = []
        for index in workloads.indices {
            if skippingAtRest, workloads[index].isAtRest(faults: faults) { continue }
            events += workloads[index].sync(now: now, faults: faults, nextPodSerial: &nextPodSerial)
        }
        return events
    }

    private func workloadIndex(_ name: String, _ namespace: String) -> Int? {
        let position = workloadPosition(name, namespace)
        guard position < workloads.count, workloads[position].deployment.namespace == namespace,
            workloads[position].deployment.name == name
        else { return nil }
        return position
    }

    /// Where `namespace/name` is or would go in the sorted workloads (binary search: applying
    /// thousands of Deployments must not search or sort the whole list each time).
    private func workloadPosition(_ name: String, _ namespace: String) -> Int {
        workloads.withUnsafeBufferPointer { workloads in
            var low = 0
            var high = workloads.count
            while low < high {
                let middle = (low + high) / 2
                if (workloads[middle].deployment.namespace, workloads[middle].deployment.name) < (namespace, name) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return low
        }
    }
}

/// A namespace and an owner's name: how stored ReplicaSets find their Deployment and pods their
/// ReplicaSet when a cluster is read. A struct, not a joined string: reading 100,000 pods must
/// not allocate a key per pod.
private struct OwnerKey: Hashable {
    let namespace: String
    let owner: String
}
