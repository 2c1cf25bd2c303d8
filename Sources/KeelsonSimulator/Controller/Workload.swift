import KeelsonKubernetes

/// A Deployment with the ReplicaSets and pods it owns: what one controller sync reads and writes,
/// kept together so that a simulated second never has to find each Deployment's objects in the
/// whole cluster.
///
/// Held behind one reference (copy-on-write): copying a cluster of 10,000 Deployments to change
/// one copies 10,000 references, and a save tells an untouched workload by identity.
struct Workload: Hashable, Sendable {
    private final class Storage: @unchecked Sendable {
        // Mutated only while uniquely referenced (see `unique()`): no two threads ever share a
        // storage that changes.
        var deployment: Deployment
        var replicaSets: [ReplicaSet]
        var pods: [Pod]

        init(deployment: Deployment, replicaSets: [ReplicaSet], pods: [Pod]) {
            self.deployment = deployment
            self.replicaSets = replicaSets
            self.pods = pods
        }
    }

    private var storage: Storage

    /// - Parameters:
    ///   - replicaSets: The ReplicaSets it owns, in name order.
    ///   - pods: Their pods, in name order.
    init(_ deployment: Deployment, replicaSets: [ReplicaSet] = [], pods: [Pod] = []) {
        storage = Storage(deployment: deployment, replicaSets: replicaSets, pods: pods)
    }

    var deployment: Deployment {
        _read { yield storage.deployment }
        _modify {
            unique()
            yield &storage.deployment
        }
    }

    /// The ReplicaSets the Deployment owns, in name order.
    var replicaSets: [ReplicaSet] {
        _read { yield storage.replicaSets }
        _modify {
            unique()
            yield &storage.replicaSets
        }
    }

    /// The pods its ReplicaSets own, in name order.
    var pods: [Pod] {
        _read { yield storage.pods }
        _modify {
            unique()
            yield &storage.pods
        }
    }

    /// Whether `other` is this very value, not a changed copy: then nothing in it changed.
    func isIdentical(to other: Workload) -> Bool { storage === other.storage }

    /// Runs one simulated second for this Deployment: the deployment controller, the ReplicaSet
    /// controller, pod readiness, then the ReplicaSets' status counts. Workloads never touch each
    /// other, so syncing them one after the other gives each what a phase-by-phase sync of the
    /// whole cluster would (pod serials and events then come Deployment by Deployment).
    ///
    /// - Returns: the events, the Deployment's first.
    mutating func sync(now: Time, faults: FaultPlan, nextPodSerial: inout Int) -> [Event] {
        let storage = unique()
        let result = DeploymentController.sync(
            storage.deployment, replicaSets: storage.replicaSets.sorted(by: ReplicaSetOrder.byCreation),
            pods: storage.pods, now: now)
        storage.deployment = result.deployment
        let sets = result.replicaSets.sorted { $0.name < $1.name }
        let synced = ReplicaSetController.sync(
            replicaSets: sets, pods: storage.pods, now: now, nextPodSerial: &nextPodSerial)
        storage.pods = PodLifecycle.advance(synced.pods, faults: faults, now: now)
        storage.replicaSets = ReplicaSetController.updateStatuses(sets, pods: storage.pods, now: now)
        return result.events + synced.events
    }

    /// Whether the workload is at rest: a sync would change nothing now or at any later second.
    /// The Deployment observed its spec and rolled out, no old ReplicaSet waits for the history
    /// cleanup, each ReplicaSet has exactly its replicas, every one of them running and available,
    /// and no fault touches their images. Only a change from outside (an apply, a scale, a killed
    /// pod, a new fault) ends it, and each of those breaks one of the conditions. (Not
    /// ``SimulatedCluster/isSettled(_:)``, which also counts a failed or paused rollout as done.)
    func isAtRest(faults: FaultPlan) -> Bool {
        let deployment = storage.deployment
        guard !deployment.spec.paused, deployment.status.observedGeneration == deployment.generation,
            RolloutStatusMessage(deployment).done
        else { return false }
        // Old ReplicaSets beyond the history limit are deleted once their pods are gone.
        if RolloutRules.hasRevisionHistoryLimit(deployment.spec), let limit = deployment.spec.revisionHistoryLimit,
            storage.replicaSets.count(where: { $0.spec.template != deployment.spec.template }) > limit
        {
            return false
        }
        var replicas = 0
        for set in storage.replicaSets {
            guard set.status.replicas == set.spec.replicas, set.status.availableReplicas == set.spec.replicas else {
                return false
            }
            replicas += set.spec.replicas
        }
        // Each ReplicaSet counted all its pods available at the last sync, and they stay so.
        return storage.pods.count == replicas && storage.pods.allSatisfy { $0.status.phase == .running }
            && (faults.faultsByImage.isEmpty || !storage.pods.contains { faults.fault(forImages: $0.images) != nil })
    }

    /// The storage, copied first when another value shares it.
    @discardableResult
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(deployment: storage.deployment, replicaSets: storage.replicaSets, pods: storage.pods)
        }
        return storage
    }

    static func == (lhs: Workload, rhs: Workload) -> Bool {
        lhs.isIdentical(to: rhs)
            || (lhs.deployment == rhs.deployment && lhs.replicaSets == rhs.replicaSets && lhs.pods == rhs.pods)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(deployment)
        hasher.combine(replicaSets)
        hasher.combine(pods)
    }
}
