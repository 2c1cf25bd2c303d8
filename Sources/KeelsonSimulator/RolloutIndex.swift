import KeelsonCore
import KeelsonManifests

/// Deployments' rollout statuses in one snapshot, looked up by key. Each lookup finds the
/// Deployment, its current ReplicaSet and that set's pods by binary search in the snapshot's
/// sorted lists (a ReplicaSet is named `<deployment>-<hash>`, a pod `<replicaset>-<suffix>`), so
/// asking about one application's Deployments costs the same in a cluster of ten or ten thousand.
struct RolloutIndex {
    private let cluster: SimCluster

    init(_ cluster: SimCluster) {
        self.cluster = cluster
    }

    /// Where the rollout of `key` stands, or nil when there is no such Deployment.
    func status(_ key: ObjectKey) -> RolloutStatus? {
        let namespace = key.namespace ?? "default"
        guard let deployment = cluster.deployment(key.name, namespace: namespace) else { return nil }
        var restarts: [String: Int] = [:]
        let current = Self.owned(by: deployment.name, namespace: namespace, in: cluster.replicaSets) { $0.owner }
            .first { $0.template == deployment.spec.template }
        if let current {
            for pod in Self.owned(by: current.name, namespace: namespace, in: cluster.pods, owner: { $0.owner })
            where pod.restartCount > 0 {
                restarts[pod.name] = pod.restartCount
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

    /// The items of `list` (sorted by namespace and name) owned by `owner`: those named
    /// `<owner>-…` whose owner field says so.
    private static func owned<Item: Named>(
        by owner: String, namespace: String, in list: [Item], owner ownerOf: (Item) -> String
    ) -> ArraySlice<Item> {
        let prefix = owner + "-"
        var low = list.startIndex
        var high = list.endIndex
        while low < high {
            let middle = (low + high) / 2
            if (list[middle].namespace, list[middle].name) < (namespace, prefix) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        var end = low
        while end < list.endIndex, list[end].namespace == namespace, list[end].name.hasPrefix(prefix) { end += 1 }
        return list[low..<end].filter { ownerOf($0) == owner }[...]
    }
}

/// Objects kept in namespace and name order.
protocol Named {
    var namespace: String { get }
    var name: String { get }
}

extension SimReplicaSet: Named {}
extension SimPod: Named {}
