import KeelsonKubernetes

/// The deployment controller: one sync of one Deployment over a snapshot of its ReplicaSets and pods.
///
/// A port of upstream's `pkg/controller/deployment` (`deployment_controller.go` `syncDeployment`, `sync.go`,
/// `rolling.go`, `recreate.go`, `progress.go`). Upstream writes through an API client; here the writes land in
/// ``replicaSets`` and ``deployment`` and the function returns them. Like upstream, each step works on the copies
/// it was handed, so a later step in the same sync may see a ReplicaSet's old size — that staleness is upstream's.
/// One difference: each listing of the ReplicaSets sees the writes made earlier in the same sync, where upstream
/// lists once from its informer cache and a second write from a stale copy fails with a conflict and is retried.
public struct DeploymentController {
    /// The Deployment being synced; annotation and status writes land here.
    var deployment: Deployment
    /// The Deployment's ReplicaSets by name; scaling, creation and deletion land here.
    var replicaSets: [String: ReplicaSet]
    /// The pods of the Deployment's ReplicaSets, as seen when the sync started.
    let pods: [Pod]
    /// The time of the sync.
    let now: Time
    /// What the sync did.
    var events: [Event] = []

    init(deployment: Deployment, replicaSets: [ReplicaSet], pods: [Pod], now: Time) {
        self.deployment = deployment
        self.replicaSets = Dictionary(uniqueKeysWithValues: replicaSets.map { ($0.name, $0) })
        self.pods = pods
        self.now = now
    }

    /// Runs one sync of `deployment` (upstream `syncDeployment`).
    ///
    /// - Parameters:
    ///   - deployment: The Deployment.
    ///   - replicaSets: The ReplicaSets it owns.
    ///   - pods: The pods those ReplicaSets own.
    ///   - now: The time of the sync.
    /// - Returns: The updated Deployment, its ReplicaSets and the events.
    public static func sync(
        _ deployment: Deployment, replicaSets: [ReplicaSet], pods: [Pod], now: Time
    ) -> DeploymentSyncResult {
        var controller = DeploymentController(deployment: deployment, replicaSets: replicaSets, pods: pods, now: now)
        controller.syncDeployment()
        return DeploymentSyncResult(
            deployment: controller.deployment, replicaSets: controller.replicaSetList, events: controller.events)
    }

    /// The ReplicaSets, oldest first.
    var replicaSetList: [ReplicaSet] {
        replicaSets.values.sorted(by: ReplicaSetOrder.byCreation)
    }

    mutating func syncDeployment() {
        checkPausedConditions()
        do {
            if deployment.spec.paused {
                try sync()
                return
            }
            if try isScalingEvent() {
                try sync()
                return
            }
            switch deployment.spec.strategy {
            case .recreate: try rolloutRecreate()
            case .rollingUpdate: try rolloutRolling()
            }
        } catch {
            // A name collision: collisionCount was bumped and the next sync retries with a new hash, as upstream
            // requeues on the returned error.
        }
    }

    /// Records a Normal event about the Deployment.
    mutating func record(_ reason: String, _ message: String) {
        events.append(
            Event(
                about: Deployment.kind, namespace: deployment.namespace, name: deployment.name, reason: reason,
                message: message, at: now))
    }

    /// Upstream `controller.FilterActiveReplicaSets`: those with replicas.
    static func active(_ replicaSets: [ReplicaSet?]) -> [ReplicaSet] {
        replicaSets.compactMap { $0 }.filter { $0.spec.replicas > 0 }
    }
}
