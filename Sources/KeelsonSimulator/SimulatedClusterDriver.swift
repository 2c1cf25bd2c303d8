import GRDB
import KeelsonCore
import KeelsonKubernetes

/// The ``TargetDriver`` of the simulated cluster: Deployments go to the deployment controller,
/// every other object is kept as given. Each call is one transaction of the cluster's store.
public struct SimulatedClusterDriver: TargetDriver {
    /// Who moves the cluster's clock while rollouts are followed.
    public enum ClockMode: Sendable, Hashable {
        /// Nobody else: following rollouts advances the clock itself.
        case manual
        /// Another task or process (a daemon) runs it, `speed` simulated seconds per real second:
        /// following rollouts watches.
        case running(speed: Double)
    }

    public let cluster: SimulatedCluster
    public let clock: ClockMode

    public init(cluster: SimulatedCluster, clock: ClockMode = .manual) {
        self.cluster = cluster
        self.clock = clock
    }

    public func liveObjects(of application: String) async throws -> [LiveObject] {
        try await liveObjects(of: [application])[application] ?? []
    }

    /// One read of the cluster for all of `applications`.
    public func liveObjects(of applications: [String]) async throws -> [String: [LiveObject]] {
        let tracked = try await cluster.tracked(by: Set(applications))
        let rollouts = RolloutIndex(tracked.cluster)
        var objects: [String: [LiveObject]] = [:]
        for workload in tracked.workloads {
            let deployment = workload.deployment
            guard let application = deployment.annotations[TrackingAnnotation.application] else { continue }
            let appliedGeneration = deployment.annotations[TrackingAnnotation.appliedGeneration].flatMap { Int($0) }
            objects[application, default: []].append(
                LiveObject(
                    key: Self.key(deployment), application: application,
                    appliedHash: deployment.annotations[TrackingAnnotation.appliedHash],
                    rollout: rollouts.status(of: workload),
                    unchangedSinceApplied: appliedGeneration == deployment.generation,
                    labels: deployment.metadata.labels,
                    annotations: deployment.annotations
                ) { deployment.json })
        }
        for object in tracked.plainObjects {
            guard let application = object.application else { continue }
            objects[application, default: []].append(
                LiveObject(
                    key: object.key, application: application, appliedHash: object.appliedHash, body: object.body,
                    rollout: nil))
        }
        return objects
    }

    public func apply(_ objects: [KubeObject], for application: String, namespace: String, fieldManager: String)
        async throws -> [AppliedObject]
    {
        var deployments: [SimulatedCluster.DeploymentName] = []
        var plainObjects: [ObjectKey] = []
        for object in objects {
            let key = object.key(defaultNamespace: namespace)
            if object.deployment != nil {
                deployments.append(.init(namespace: key.namespace ?? "", name: object.name))
            } else {
                plainObjects.append(key)
            }
        }
        return try await Self.waitingForTheFile {
            try await cluster.transact(for: application, deployments: deployments, plainObjects: plainObjects) {
                cluster, stored in
                try Self.apply(objects, for: application, namespace: namespace, to: &cluster, &stored)
            }
        }
    }

    /// One apply inside the cluster's transaction; see ``apply(_:for:namespace:fieldManager:)``.
    private static func apply(
        _ objects: [KubeObject], for application: String, namespace: String, to cluster: inout SimCluster,
        _ stored: inout [ObjectKey: StoredObject]
    ) throws -> [AppliedObject] {
        try objects.map { object in
            var key = object.key(defaultNamespace: namespace)
            let objectNamespace = key.namespace ?? ""
            var annotations = object.body.strings(at: ["metadata", "annotations"])
            annotations[TrackingAnnotation.application] = application
            annotations[TrackingAnnotation.appliedHash] = object.contentHash
            if let deployment = object.deployment {
                // extensions/v1beta1 and apps/v1beta* Deployments are the same object as apps/v1.
                key = Self.deploymentKey(name: object.name, namespace: objectNamespace)
                let spec = deployment
                let existing = cluster.deployment(object.name, namespace: objectNamespace)
                try Self.checkOwner(existing?.annotations[TrackingAnnotation.application], key, application)
                // The generation this apply leaves, so that a later one shows someone changed the spec.
                let generation = existing.map { $0.spec == spec ? $0.generation : $0.generation + 1 } ?? 1
                annotations[TrackingAnnotation.appliedGeneration] = String(generation)
                // The controller's own annotations (revision, …) are never taken from a manifest.
                let kept = annotations.filter { !RevisionAnnotations.notCopied.contains($0.key) }
                let labels = object.body.strings(at: ["metadata", "labels"])
                if let existing, existing.spec == spec, existing.metadata.labels == labels,
                    existing.annotations.filter({ !RevisionAnnotations.notCopied.contains($0.key) }) == kept
                {
                    return AppliedObject(key: key, change: .unchanged)
                }
                cluster.apply(
                    spec, name: object.name, namespace: objectNamespace, annotations: annotations, labels: labels)
                return AppliedObject(key: key, change: existing == nil ? .created : .configured)
            }
            let storedObject = StoredObject(
                key: key, application: application, appliedHash: object.contentHash, body: object.body)
            let existing = stored[key]
            try Self.checkOwner(existing?.application, key, application)
            if existing == storedObject { return AppliedObject(key: key, change: .unchanged) }
            stored[key] = storedObject
            return AppliedObject(key: key, change: existing == nil ? .created : .configured)
        }
    }

    /// Deletes what `application` owns among `keys`; objects that are absent or not tracked to it
    /// are left alone. Keys without a namespace mean `default`.
    public func delete(_ keys: [ObjectKey], for application: String) async throws {
        let deployments = keys.filter(Self.isDeployment).map {
            SimulatedCluster.DeploymentName(namespace: $0.namespace ?? "default", name: $0.name)
        }
        let plainObjects = keys.filter { !Self.isDeployment($0) }
        try await Self.waitingForTheFile {
            try await cluster.transact(for: application, deployments: deployments, plainObjects: plainObjects) {
                cluster, stored in
                Self.delete(keys, for: application, from: &cluster, &stored)
            }
        }
    }

    /// One delete inside the cluster's transaction; see ``delete(_:for:)``.
    private static func delete(
        _ keys: [ObjectKey], for application: String, from cluster: inout SimCluster,
        _ stored: inout [ObjectKey: StoredObject]
    ) {
        for key in keys {
            let namespace = key.namespace ?? "default"
            if Self.isDeployment(key) {
                let owner = cluster.deployment(key.name, namespace: namespace)?
                    .annotations[TrackingAnnotation.application]
                if owner == application { cluster.deleteDeployment(key.name, namespace: namespace) }
            } else {
                if stored[key]?.application == application { stored[key] = nil }
            }
        }
    }

    /// Keys without a namespace mean `default`.
    public func rolloutStatus(of deployment: ObjectKey) async throws -> RolloutStatus {
        guard let status = RolloutIndex(try await cluster.snapshot).status(deployment) else {
            throw TargetError.notFound(deployment)
        }
        return status
    }

    /// `limit` counts simulated time. With the ``ClockMode/manual`` clock, advances it (one
    /// controller sync per simulated second, saved in short transactions): minutes of rollout take
    /// milliseconds. With a ``ClockMode/running(speed:)`` clock, reads the statuses every simulated
    /// second (at most every 50 ms of real time) for up to `limit / speed` of real time.
    public func followRollouts(
        _ deployments: [ObjectKey], limit: Duration,
        until done: @escaping @Sendable ([ObjectKey: RolloutStatus]) -> Bool
    ) async throws -> [ObjectKey: RolloutStatus] {
        switch clock {
        case .manual:
            let seconds = max(1, Int(limit.components.seconds))
            let end = try await Self.waitingForTheFile {
                try await cluster.advance(maxSeconds: seconds) { snapshot in
                    done(RolloutIndex(snapshot).statuses(deployments))
                }
            }
            return RolloutIndex(end).statuses(deployments)
        case .running(let speed):
            let deadline = ContinuousClock.now + limit / speed
            while true {
                let statuses = RolloutIndex(try await cluster.snapshot).statuses(
                    deployments)
                if done(statuses) || ContinuousClock.now >= deadline { return statuses }
                try await Task.sleep(for: max(.seconds(1 / speed), .milliseconds(50)))
            }
        }
    }

    public func undo(_ deployment: ObjectKey, toRevision revision: Int?) async throws -> RolloutStatus {
        do {
            try await cluster.rollback(
                deployment.name, namespace: deployment.namespace ?? "default", toRevision: revision)
        } catch SimulatorError.deploymentNotFound {
            throw TargetError.notFound(deployment)
        } catch let error as SimulatorError {
            throw TargetError.invalid(deployment, reason: error.description)
        }
        return try await rolloutStatus(of: deployment)
    }

    public func events(limit: Int) async throws -> [TargetEvent] {
        try await cluster.events(limit: limit).map { event in
            TargetEvent(
                time: event.time.secondsSinceClusterEpoch, type: event.type, reason: event.reason,
                object: "\(event.involvedObject.kind.lowercased())/\(event.involvedObject.name)",
                message: event.message)
        }
    }

    /// Runs `change`, turning SQLite's "database is locked" (another process held the cluster's
    /// file for longer than the busy timeout) into ``TargetError/busy(_:)``: the transaction was
    /// rolled back, so nothing changed.
    private static func waitingForTheFile<T: Sendable>(_ change: () async throws -> T) async throws -> T {
        do {
            return try await change()
        } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
            throw TargetError.busy("another process held the simulated cluster's file: \(error.message ?? "locked")")
        }
    }

    private static func key(_ deployment: Deployment) -> ObjectKey {
        deploymentKey(name: deployment.name, namespace: deployment.namespace)
    }

    private static func deploymentKey(name: String, namespace: String) -> ObjectKey {
        ObjectKey(group: "apps", kind: "Deployment", namespace: namespace, name: name)
    }

    private static func isDeployment(_ key: ObjectKey) -> Bool {
        key.kind == "Deployment" && ["apps", "extensions"].contains(key.group)
    }

    private static func checkOwner(_ owner: String?, _ key: ObjectKey, _ application: String) throws {
        if let owner, owner != application { throw TargetError.ownedByAnotherApplication(key, owner: owner) }
    }
}
