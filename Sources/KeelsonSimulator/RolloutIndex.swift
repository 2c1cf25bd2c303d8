import KeelsonCore
import KeelsonManifests

/// Deployments' rollout statuses in one snapshot, looked up by key. Each lookup finds the
/// Deployment, its current ReplicaSet and that set's pods by binary search in the snapshot's
/// sorted lists (a ReplicaSet is named `<deployment>-<hash>`, a pod `<replicaset>-<suffix>`), so
/// asking about one application's Deployments costs the same in a cluster of ten or ten thousand.
struct RolloutIndex {
    private let cluster: SimCluster
    /// `namespace/owner` of the ReplicaSets with a restarted pod, when the pods were scanned
    /// once for them: restarts are rare, so then most lookups need not look at pods at all.
    private let restartedOwners: Set<String>?

    /// - Parameter lookups: about how many Deployments will be asked about; when they are many,
    ///   one pass over the pods beats looking each one's pods up.
    init(_ cluster: SimCluster, lookups: Int = 1) {
        self.cluster = cluster
        guard lookups * 64 > cluster.pods.count else {
            restartedOwners = nil
            return
        }
        restartedOwners = cluster.pods.withUnsafeBufferPointer { pods in
            var owners: Set<String> = []
            for index in pods.indices where pods[index].restartCount > 0 {
                owners.insert(pods[index].namespace + "/" + pods[index].owner)
            }
            return owners
        }
    }

    /// Where the rollout of `key` stands, or nil when there is no such Deployment.
    func status(_ key: ObjectKey) -> RolloutStatus? {
        cluster.deployment(key.name, namespace: key.namespace ?? "default").map(status)
    }

    /// Where the rollout of `deployment` (one of the snapshot's) stands. Reads the ReplicaSets and
    /// pods in place: copying each one out cost more than the whole lookup.
    func status(of deployment: SimDeployment) -> RolloutStatus {
        let namespace = deployment.namespace
        var restarts: [String: Int] = [:]
        let sets = cluster.replicaSets
        let current = Self.named(after: deployment.name, namespace: namespace, in: sets).first {
            sets[$0].owner == deployment.name && sets[$0].template == deployment.spec.template
        }
        if let current, restartedOwners?.contains(namespace + "/" + sets[current].name) ?? true {
            let owner = sets[current].name
            let pods = cluster.pods
            for index in Self.named(after: owner, namespace: namespace, in: pods)
            where pods[index].owner == owner && pods[index].restartCount > 0 {
                restarts[pods[index].name] = pods[index].restartCount
            }
        }
        let message = RolloutStatusMessage(deployment)
        let phase: RolloutStatus.Phase
        if deployment.spec.paused {
            phase = .paused
        } else if message.failed {
            phase = .failed(reason: SimDeploymentConditionReason.progressDeadlineExceeded)
        } else {
            phase = message.done ? .complete : .progressing
        }
        return RolloutStatus(
            phase: phase, message: message.message, desired: deployment.spec.replicas,
            updated: deployment.status.updatedReplicas, ready: deployment.status.readyReplicas,
            available: deployment.status.availableReplicas, revision: deployment.revision, restartsByPod: restarts)
    }

    /// The statuses of `keys` that name a Deployment.
    func statuses(_ keys: [ObjectKey]) -> [ObjectKey: RolloutStatus] {
        var statuses: [ObjectKey: RolloutStatus] = [:]
        for key in keys { statuses[key] = status(key) }
        return statuses
    }

    static func key(_ name: String, _ namespace: String) -> ObjectKey {
        ObjectKey(group: "apps", kind: "Deployment", namespace: namespace, name: name)
    }

    /// The positions in `list` (sorted by namespace and name) of the items named `<owner>-…`,
    /// found by binary search; their owner field still has to be checked.
    private static func named<Item: Named>(after owner: String, namespace: String, in list: [Item]) -> Range<Int> {
        let prefix = owner + "-"
        // Through the buffer, items are read in place; array subscripts copied each one out.
        return list.withUnsafeBufferPointer { items in
            var low = 0
            var high = items.count
            while low < high {
                let middle = (low + high) / 2
                if items[middle].namespace < namespace
                    || (items[middle].namespace == namespace && items[middle].name < prefix)
                {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            var end = low
            while end < items.count, items[end].namespace == namespace, items[end].name.utf8.starts(with: prefix.utf8) {
                end += 1
            }
            return low..<end
        }
    }
}

/// Objects kept in namespace and name order.
protocol Named {
    var namespace: String { get }
    var name: String { get }
}

extension SimReplicaSet: Named {}
extension SimPod: Named {}
