/// The simulated cluster on disk: a ``SimCluster`` kept in its own SQLite file, changed only through
/// this actor, each change saved in one transaction before it is visible.
public actor SimulatedCluster {
    /// How a wait for rollouts ended.
    public struct Settling: Sendable {
        /// Simulated seconds that passed.
        public let seconds: Int
        /// Whether every Deployment finished (rolled out, failed its progress deadline, or is paused).
        public let settled: Bool
        public let events: [SimEvent]
    }

    public nonisolated let path: String
    private let store: ClusterStore
    private var cluster: SimCluster
    private var plainObjects: [String: StoredObject]
    /// The store's revision this actor's state was read at or saved as.
    private var revision: Int

    /// Opens the cluster stored at `path`, creating an empty one when the file does not exist.
    public init(path: String) throws {
        self.path = path
        store = try ClusterStore(path: path)
        (cluster, plainObjects, revision) = try store.load()
    }

    /// The cluster as it is now.
    public var snapshot: SimCluster { cluster }

    /// Objects kept without a controller (Services, ConfigMaps, …), in key order.
    public var storedObjects: [StoredObject] { plainObjects.values.sorted { $0.storageKey < $1.storageKey } }

    /// Changes Deployments and plain objects together: saved in one transaction when `change`
    /// returns, nothing saved (and nothing changed) when it throws.
    func transact<T: Sendable>(
        _ change: (inout SimCluster, inout [String: StoredObject]) throws -> T
    ) throws -> T {
        var nextCluster = cluster
        var nextObjects = plainObjects
        let result = try change(&nextCluster, &nextObjects)
        revision = try store.save(
            nextCluster, replacing: cluster, plainObjects: nextObjects, replacingPlainObjects: plainObjects, events: [],
            revision: revision)
        cluster = nextCluster
        plainObjects = nextObjects
        return result
    }

    /// Lets `seconds` of simulated time pass, one controller sync per second.
    @discardableResult
    public func advance(seconds: Int) throws -> [SimEvent] {
        let step = cluster.step(to: cluster.now.adding(seconds))
        try commit(step.cluster, events: step.events)
        return step.events
    }

    /// Lets time pass until every Deployment has rolled out or failed its progress deadline, or
    /// `maxSeconds` have passed.
    public func advanceUntilSettled(maxSeconds: Int) throws -> Settling {
        let start = cluster.now
        var events: [SimEvent] = []
        let end = try advance(maxSeconds: maxSeconds, collecting: &events, until: Self.isSettled)
        return Settling(seconds: end.now.seconds - start.seconds, settled: Self.isSettled(end), events: events)
    }

    /// Lets time pass, one controller sync per second, until `done` holds for the cluster or
    /// `maxSeconds` have passed; saves once at the end.
    ///
    /// - Returns: the cluster as it is then.
    public func advance(maxSeconds: Int, until done: (SimCluster) -> Bool) throws -> SimCluster {
        var events: [SimEvent] = []
        return try advance(maxSeconds: maxSeconds, collecting: &events, until: done)
    }

    private func advance(maxSeconds: Int, collecting events: inout [SimEvent], until done: (SimCluster) -> Bool)
        throws -> SimCluster
    {
        var current = cluster
        var seconds = 0
        // At least one sync: statuses describe the last sync, not a change made since.
        repeat {
            guard seconds < maxSeconds else { break }
            let step = current.step(to: current.now.adding(1))
            current = step.cluster
            events += step.events
            seconds += 1
        } while !done(current)
        try commit(current, events: events)
        return current
    }

    /// Creates or updates a Deployment, as `kubectl apply` does.
    public func apply(
        _ spec: SimDeploymentSpec, name: String, namespace: String = "default", annotations: [String: String] = [:]
    ) throws {
        var next = cluster
        next.apply(spec, name: name, namespace: namespace, annotations: annotations)
        try commit(next, events: [])
    }

    /// Changes a Deployment's replicas behind the reconciler's back, as `kubectl scale` does.
    public func scale(_ name: String, namespace: String = "default", replicas: Int) throws {
        var spec = try existing(name, namespace).spec
        spec.replicas = replicas
        try apply(spec, name: name, namespace: namespace, annotations: try existing(name, namespace).annotations)
    }

    /// Changes a container's image behind the reconciler's back, as `kubectl set image` does.
    public func setImage(_ name: String, namespace: String = "default", container: String, image: String) throws {
        let deployment = try existing(name, namespace)
        var spec = deployment.spec
        spec.template = try spec.template.settingImage(image, forContainer: container)
        try apply(spec, name: name, namespace: namespace, annotations: deployment.annotations)
    }

    /// Rolls a Deployment back, as `kubectl rollout undo` does.
    @discardableResult
    public func rollback(_ name: String, namespace: String = "default", toRevision revision: Int? = nil) throws
        -> SimEvent
    {
        var next = cluster
        let event = try next.rollback(name, namespace: namespace, toRevision: revision)
        try commit(next, events: [event])
        return event
    }

    /// Kills a pod; its ReplicaSet replaces it.
    public func killPod(_ name: String, namespace: String = "default") throws {
        var next = cluster
        try next.deletePod(name, namespace: namespace)
        let event = SimEvent(
            time: next.now, kind: "Pod", namespace: namespace, name: name, type: "Warning", reason: "Killing",
            message: "Stopping container (killed on request)")
        try commit(next, events: [event])
    }

    /// Makes every pod running `image` (an exact reference or a pattern) misbehave.
    public func addFault(_ fault: PodFault, image: String) throws {
        var next = cluster
        next.faults.faultsByImage[image] = fault
        try commit(next, events: [])
    }

    /// Removes the fault on `image`; returns whether there was one.
    @discardableResult
    public func removeFault(image: String) throws -> Bool {
        var next = cluster
        guard next.faults.faultsByImage.removeValue(forKey: image) != nil else { return false }
        try commit(next, events: [])
        return true
    }

    /// Deletes everything: objects, events, faults; the clock starts again.
    public func reset() throws {
        revision = try store.reset()
        cluster = SimCluster()
        plainObjects = [:]
    }

    /// The newest `limit` events, oldest first.
    public func events(limit: Int = 100) throws -> [SimEvent] {
        try store.events(limit: limit)
    }

    /// Whether every Deployment is paused, has exceeded its progress deadline, or has rolled out:
    /// kubectl's `rollout status` says done and exactly `replicas` pods of it are available.
    public static func isSettled(_ cluster: SimCluster) -> Bool {
        var deploymentOfSet: [String: String] = [:]
        for set in cluster.replicaSets {
            deploymentOfSet["\(set.namespace)/\(set.name)"] = "\(set.namespace)/\(set.owner)"
        }
        var pods: [String: (all: Int, available: Int)] = [:]
        for pod in cluster.pods {
            guard let deployment = deploymentOfSet["\(pod.namespace)/\(pod.owner)"] else { continue }
            pods[deployment, default: (0, 0)].all += 1
            if pod.isAvailable { pods[deployment, default: (0, 0)].available += 1 }
        }
        return cluster.deployments.allSatisfy { deployment in
            let status = RolloutStatusMessage(deployment)
            let counts = pods["\(deployment.namespace)/\(deployment.name)"] ?? (0, 0)
            return deployment.spec.paused || status.failed
                || (status.done && counts.all == deployment.spec.replicas
                    && counts.available == deployment.spec.replicas)
        }
    }

    private func existing(_ name: String, _ namespace: String) throws -> SimDeployment {
        guard let deployment = cluster.deployment(name, namespace: namespace) else {
            throw SimulatorError.deploymentNotFound(namespace: namespace, name: name)
        }
        return deployment
    }

    /// Saves first, so a failed write changes nothing in memory either.
    private func commit(_ next: SimCluster, events: [SimEvent]) throws {
        revision = try store.save(next, replacing: cluster, events: events, revision: revision)
        cluster = next
    }
}
