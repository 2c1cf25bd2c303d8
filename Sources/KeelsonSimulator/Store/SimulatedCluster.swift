import KeelsonCore
import KeelsonKubernetes

/// The simulated cluster on disk: a ``SimCluster`` kept in its own SQLite file, changed only through
/// this actor, each change saved in one transaction before it is visible.
///
/// Several processes may share the file, each through its own actor: every change is computed from
/// the stored state inside its write transaction (other writers wait meanwhile), and every read
/// catches up with the other processes' saves first.
public actor SimulatedCluster {
    /// How a wait for rollouts ended.
    public struct Settling: Sendable {
        /// Simulated seconds that passed.
        public let seconds: Int
        /// Whether every Deployment finished (rolled out, failed its progress deadline, or is paused).
        public let settled: Bool
        public let events: [Event]
    }

    public nonisolated let path: String
    private let store: ClusterStore
    /// What the store held when this actor last read or saved it.
    private var contents: ClusterStore.Contents {
        didSet { if contents.revision != oldValue.revision, ownershipMayChange { ownership = nil } }
    }
    /// Which objects each application tracks, built when first asked after a change that can
    /// move ownership (an apply, a delete, another process's save); the clock's steps cannot, so
    /// a running daemon rebuilds it only after applies.
    private var ownership: Ownership?
    /// Whether the change being saved can change what an application tracks.
    private var ownershipMayChange = true

    /// The Deployments and plain objects each application tracks.
    private struct Ownership {
        var deployments: [String: Set<DeploymentName>] = [:]
        var plainObjects: [String: Set<ObjectKey>] = [:]

        init(_ contents: ClusterStore.Contents) {
            for workload in contents.cluster.workloads {
                let deployment = workload.deployment
                guard let application = deployment.annotations[TrackingAnnotation.application] else { continue }
                deployments[application, default: []].insert(
                    DeploymentName(namespace: deployment.namespace, name: deployment.name))
            }
            for (key, object) in contents.plainObjects {
                if let application = object.application { plainObjects[application, default: []].insert(key) }
            }
        }

        /// Brings `application`'s entries for the given objects up to date with `contents`.
        mutating func update(
            _ application: String, deployments touched: [DeploymentName], plainObjects touchedKeys: [ObjectKey],
            in contents: ClusterStore.Contents
        ) {
            for name in touched {
                let owner = contents.cluster.deployment(name.name, namespace: name.namespace)?
                    .annotations[TrackingAnnotation.application]
                if owner == application {
                    deployments[application, default: []].insert(name)
                } else {
                    deployments[application]?.remove(name)
                }
            }
            for key in touchedKeys {
                if contents.plainObjects[key]?.application == application {
                    plainObjects[application, default: []].insert(key)
                } else {
                    plainObjects[application]?.remove(key)
                }
            }
        }
    }

    /// A Deployment's namespace and name.
    struct DeploymentName: Hashable {
        var namespace: String
        var name: String
    }

    /// Opens the cluster stored at `path`, creating an empty one when the file does not exist.
    public init(path: String) throws {
        self.path = path
        store = try ClusterStore(path: path)
        contents = try store.load()
    }

    /// The cluster as it is now, other processes' changes included.
    public var snapshot: SimCluster {
        get throws {
            try refresh()
            return contents.cluster
        }
    }

    /// Objects kept without a controller (Services, ConfigMaps, …), in key order.
    public var storedObjects: [StoredObject] {
        get throws {
            try refresh()
            return contents.plainObjects.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// What `applications` track, read from one snapshot: their Deployments in namespace and
    /// name order, their plain objects in key order, and the snapshot itself. Found through an
    /// index by application, so one application's read costs the same in a cluster of thousands.
    public func tracked(by applications: Set<String>) throws -> Tracked {
        try refresh()
        let ownership = self.ownership ?? Ownership(contents)
        self.ownership = ownership
        let cluster = contents.cluster
        var deployments: [DeploymentName] = []
        var plainObjects: [ObjectKey] = []
        for application in applications {
            deployments += ownership.deployments[application] ?? []
            plainObjects += ownership.plainObjects[application] ?? []
        }
        deployments.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        plainObjects.sort()
        return Tracked(
            cluster: cluster,
            workloads: deployments.compactMap { cluster.workload($0.name, namespace: $0.namespace) },
            plainObjects: plainObjects.compactMap { contents.plainObjects[$0] })
    }

    /// What ``tracked(by:)`` found.
    public struct Tracked: Sendable {
        public var cluster: SimCluster
        /// The Deployments found, with what they own.
        var workloads: [Workload]
        public var plainObjects: [StoredObject]

        /// The Deployments found, in namespace and name order.
        public var deployments: [Deployment] { workloads.map(\.deployment) }
    }

    /// Changes Deployments and plain objects for `application`: saved in one transaction when
    /// `change` returns, nothing saved (and nothing changed) when it throws. Only the objects
    /// named may change hands, so the index of what applications track is updated for those
    /// alone instead of being built again.
    func transact<T: Sendable>(
        for application: String, deployments: [DeploymentName], plainObjects: [ObjectKey],
        _ change: (inout SimCluster, inout [ObjectKey: StoredObject]) throws -> T
    ) throws -> T {
        let (index, revision) = (ownership, contents.revision)
        let result = try commit { draft in try change(&draft.cluster, &draft.plainObjects) }
        if var index, contents.revision == revision + 1 {
            index.update(application, deployments: deployments, plainObjects: plainObjects, in: contents)
            ownership = index
        }
        return result
    }

    /// Lets `seconds` of simulated time pass, one controller sync per second.
    @discardableResult
    public func advance(seconds: Int) throws -> [Event] {
        try commit(keepingOwnership: true) { draft in
            let step = draft.cluster.step(to: draft.cluster.now.adding(seconds))
            draft.cluster = step.cluster
            draft.events = step.events
            return step.events
        }
    }

    /// Lets time pass until every Deployment has rolled out or failed its progress deadline, or
    /// `maxSeconds` have passed.
    public func advanceUntilSettled(maxSeconds: Int) throws -> Settling {
        let run = try run(maxSeconds: maxSeconds, until: Self.isSettled)
        return Settling(seconds: run.seconds, settled: Self.isSettled(run.cluster), events: run.events)
    }

    /// Lets time pass, one controller sync per second, until `done` holds for the cluster or
    /// `maxSeconds` have passed.
    ///
    /// - Returns: the cluster as it is then.
    public func advance(maxSeconds: Int, until done: (SimCluster) -> Bool) throws -> SimCluster {
        try run(maxSeconds: maxSeconds, until: done).cluster
    }

    /// How much stepping a long ``advance(maxSeconds:until:)`` does at least before it saves: the
    /// steps are computed outside any transaction, so other writers (another process applying)
    /// wait only for a save, never for the whole advance. A cluster whose saves take longer steps
    /// for ten times its last save, so that saving stays a small part of the work.
    static let stepBudget = Duration.milliseconds(200)

    /// Syncs once per simulated second until `done` holds or `maxSeconds` have passed, and at least
    /// once: statuses describe the last sync, not a change made since. Steps from what is stored
    /// for a span (``stepBudget``, or ten times the last save), then saves the span only if nobody
    /// saved meanwhile; otherwise steps again from what the other writer left.
    private func run(maxSeconds: Int, until done: (SimCluster) -> Bool) throws
        -> (cluster: SimCluster, seconds: Int, events: [Event])
    {
        var seconds = 0
        var events: [Event] = []
        var budget = Self.stepBudget
        while true {
            try refresh()
            let base = contents
            var cluster = base.cluster
            var spanEvents: [Event] = []
            var steps = 0
            var finished = false
            let started = ContinuousClock.now
            repeat {
                guard seconds + steps < maxSeconds else {
                    finished = true
                    break
                }
                let step = cluster.step(to: cluster.now.adding(1))
                cluster = step.cluster
                spanEvents += step.events
                steps += 1
                finished = done(cluster)
            } while !finished && ContinuousClock.now - started < budget
            let saving = ContinuousClock.now
            let saved = try commit(keepingOwnership: true) { draft in
                guard draft.baseRevision == base.revision else { return false }
                draft.cluster = cluster
                draft.events = spanEvents
                return true
            }
            budget = max(Self.stepBudget, (ContinuousClock.now - saving) * 10)
            guard saved else { continue }
            seconds += steps
            events += spanEvents
            if finished { return (cluster, seconds, events) }
        }
    }

    /// Creates or updates a Deployment, as `kubectl apply` does.
    public func apply(
        _ spec: DeploymentSpec, name: String, namespace: String = "default", annotations: [String: String] = [:]
    ) throws {
        try commit { $0.cluster.apply(spec, name: name, namespace: namespace, annotations: annotations) }
    }

    /// Sets (a value) or removes (nil) labels of a Deployment behind the reconciler's back, as
    /// `kubectl label` does; the spec and generation stay as they are.
    public func label(_ name: String, namespace: String = "default", _ changes: [String: String?]) throws {
        try commit { draft in
            let deployment = try Self.existing(name, namespace, in: draft.cluster)
            var labels = deployment.metadata.labels
            for (key, value) in changes { labels[key] = value }
            draft.cluster.apply(
                deployment.spec, name: name, namespace: namespace, annotations: deployment.annotations,
                labels: labels)
        }
    }

    /// Changes a Deployment's replicas behind the reconciler's back, as `kubectl scale` does.
    public func scale(_ name: String, namespace: String = "default", replicas: Int) throws {
        try commit { draft in
            let deployment = try Self.existing(name, namespace, in: draft.cluster)
            var spec = deployment.spec
            spec.replicas = replicas
            draft.cluster.apply(spec, name: name, namespace: namespace, annotations: deployment.annotations)
        }
    }

    /// Changes a container's image behind the reconciler's back, as `kubectl set image` does.
    public func setImage(_ name: String, namespace: String = "default", container: String, image: String) throws {
        try setImages([ImageChange(deployment: name, namespace: namespace, container: container, image: image)])
    }

    /// One container image to set on one Deployment.
    public struct ImageChange: Sendable {
        public var deployment: String
        public var namespace: String
        public var container: String
        public var image: String

        public init(deployment: String, namespace: String = "default", container: String, image: String) {
            self.deployment = deployment
            self.namespace = namespace
            self.container = container
            self.image = image
        }
    }

    /// Sets images on many Deployments in one transaction, as one `kubectl set image` per
    /// Deployment would; nothing changes when one of them fails.
    public func setImages(_ changes: [ImageChange]) throws {
        try commit { draft in
            for change in changes {
                let deployment = try Self.existing(change.deployment, change.namespace, in: draft.cluster)
                var spec = deployment.spec
                guard let template = spec.template.settingImage(change.image, forContainer: change.container) else {
                    throw SimulatorError.containerNotFound(
                        container: change.container, available: spec.template.containers.map(\.name))
                }
                spec.template = template
                draft.cluster.apply(
                    spec, name: change.deployment, namespace: change.namespace, annotations: deployment.annotations)
            }
        }
    }

    /// Rolls a Deployment back, as `kubectl rollout undo` does.
    @discardableResult
    public func rollback(_ name: String, namespace: String = "default", toRevision revision: Int? = nil) throws
        -> Event
    {
        try commit { draft in
            let event = try draft.cluster.rollback(name, namespace: namespace, toRevision: revision)
            draft.events.append(event)
            return event
        }
    }

    /// Kills a pod; its ReplicaSet replaces it.
    public func killPod(_ name: String, namespace: String = "default") throws {
        try commit { draft in
            try draft.cluster.deletePod(name, namespace: namespace)
            draft.events.append(
                Event(
                    about: Pod.kind, namespace: namespace, name: name, type: "Warning", reason: "Killing",
                    message: "Stopping container (killed on request)", at: draft.cluster.now))
        }
    }

    /// Makes every pod running `image` (an exact reference or a pattern) misbehave.
    public func addFault(_ fault: PodFault, image: String) throws {
        try commit { $0.cluster.faults.faultsByImage[image] = fault }
    }

    /// Removes the fault on `image`; returns whether there was one.
    @discardableResult
    public func removeFault(image: String) throws -> Bool {
        try commit { $0.cluster.faults.faultsByImage.removeValue(forKey: image) != nil }
    }

    /// Deletes everything: objects, events, faults; the clock starts again.
    public func reset() throws {
        contents = ClusterStore.Contents(cluster: SimCluster(), plainObjects: [:], revision: try store.reset())
    }

    /// Checkpoints and truncates the store's WAL and gives its free pages back (see
    /// ``DurableDatabase/compact()``); the daemon does it every hour.
    @discardableResult
    public func compact() throws -> DurableDatabase.Compaction {
        try store.compact()
    }

    /// The newest `limit` events, oldest first.
    public func events(limit: Int = 100) throws -> [Event] {
        try store.events(limit: limit)
    }

    /// Whether every Deployment is paused, has exceeded its progress deadline, or has rolled out:
    /// kubectl's `rollout status` says done and exactly `replicas` pods of it are available, as of
    /// the cluster's last sync.
    public static func isSettled(_ cluster: SimCluster) -> Bool {
        // Pod counts from the ReplicaSets' statuses, which each sync recomputes last: asked every
        // simulated second, this must not walk 100,000 pods.
        cluster.workloads.allSatisfy { workload in
            let deployment = workload.deployment
            let status = RolloutStatusMessage(deployment)
            let replicas = deployment.spec.replicas
            return deployment.spec.paused || status.failed
                || (status.done && workload.replicaSets.reduce(0) { $0 + $1.status.replicas } == replicas
                    && workload.replicaSets.reduce(0) { $0 + $1.status.availableReplicas } == replicas)
        }
    }

    private static func existing(_ name: String, _ namespace: String, in cluster: SimCluster) throws
        -> Deployment
    {
        guard let deployment = cluster.deployment(name, namespace: namespace) else {
            throw SimulatorError.deploymentNotFound(namespace: namespace, name: name)
        }
        return deployment
    }

    /// Catches up with other processes: reloads when the stored revision moved since this actor
    /// last read or saved.
    private func refresh() throws {
        guard try store.revision() != contents.revision else { return }
        contents = try store.load()
    }

    /// Computes `change` from the stored state and saves what it leaves, in one transaction; keeps
    /// it when saved. When it throws, nothing is saved and this actor keeps what it had.
    ///
    /// - Parameter keepingOwnership: the change cannot change what an application tracks (it
    ///   only moves the clock), and the stored state was this actor's: the ownership index stays.
    private func commit<T>(keepingOwnership: Bool = false, _ change: (inout ClusterStore.Change) throws -> T) throws
        -> T
    {
        let (result, stored) = try store.update(contents, change)
        // Computed from what another process saved: anything may have changed.
        ownershipMayChange = !keepingOwnership || stored.revision != contents.revision + 1
        defer { ownershipMayChange = true }
        contents = stored
        return result
    }
}
