import KeelsonCore
import KeelsonKubernetes

/// Deployments' rollout statuses in one snapshot, looked up by key. Each lookup finds the
/// Deployment with what it owns by binary search, so asking about one application's Deployments
/// costs the same in a cluster of ten or ten thousand.
struct RolloutIndex {
    private let cluster: SimCluster

    init(_ cluster: SimCluster) {
        self.cluster = cluster
    }

    /// Where the rollout of `key` stands, or nil when there is no such Deployment.
    func status(_ key: ObjectKey) -> RolloutStatus? {
        cluster.workload(key.name, namespace: key.namespace ?? "default").map(status)
    }

    /// Where the rollout of `workload`'s Deployment (one of the snapshot's) stands.
    func status(of workload: Workload) -> RolloutStatus {
        let deployment = workload.deployment
        var restarts: [String: Int] = [:]
        // Through buffers, ReplicaSets and pods are read in place instead of copied out one by
        // one (a no-op pass asks this of every Deployment).
        workload.replicaSets.withUnsafeBufferPointer { sets in
            guard let current = sets.firstIndex(where: { $0.spec.template == deployment.spec.template }) else { return }
            workload.pods.withUnsafeBufferPointer { pods in
                for index in pods.indices where pods[index].restartCount > 0 && pods[index].owner == sets[current].name
                {
                    restarts[pods[index].name] = pods[index].restartCount
                }
            }
        }
        let message = RolloutStatusMessage(deployment)
        let phase: RolloutStatus.Phase
        if deployment.spec.paused {
            phase = .paused
        } else if message.failed {
            phase = .failed(reason: DeploymentCondition.Reason.progressDeadlineExceeded)
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
}
