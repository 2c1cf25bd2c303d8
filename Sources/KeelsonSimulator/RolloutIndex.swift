import KeelsonCore
import KeelsonManifests

/// Each Deployment's rollout status in one snapshot, looked up by key: built once in one pass over
/// the ReplicaSets and pods, so asking about many Deployments costs what asking about one does.
struct RolloutIndex {
    private let deployments: [ObjectKey: SimDeployment]
    private let currentSets: [ObjectKey: SimReplicaSet]
    private let podsBySet: [String: [SimPod]]

    init(_ cluster: SimCluster) {
        var deployments: [ObjectKey: SimDeployment] = [:]
        for deployment in cluster.deployments {
            deployments[Self.key(deployment.name, deployment.namespace)] = deployment
        }
        var currentSets: [ObjectKey: SimReplicaSet] = [:]
        for set in cluster.replicaSets {
            let owner = Self.key(set.owner, set.namespace)
            if deployments[owner]?.spec.template == set.template { currentSets[owner] = set }
        }
        self.deployments = deployments
        self.currentSets = currentSets
        podsBySet = Dictionary(grouping: cluster.pods) { "\($0.namespace)/\($0.owner)" }
    }

    /// Where the rollout of `key` stands, or nil when there is no such Deployment.
    func status(_ key: ObjectKey) -> RolloutStatus? {
        let key = Self.key(key.name, key.namespace ?? "default")
        guard let deployment = deployments[key] else { return nil }
        var restarts: [String: Int] = [:]
        if let current = currentSets[key] {
            for pod in podsBySet["\(current.namespace)/\(current.name)"] ?? [] where pod.restartCount > 0 {
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
}
