import KeelsonKubernetes

@testable import KeelsonSimulator

/// Builders and drivers for controller and cluster tests.
extension Fixtures {
    /// A controller over `deployment` and `replicaSets` at time zero, without pods.
    static func controller(_ deployment: Deployment, _ replicaSets: [ReplicaSet]) -> DeploymentController {
        DeploymentController(deployment: deployment, replicaSets: replicaSets, pods: [], now: .clusterEpoch)
    }

    /// Steps `cluster` one second at a time until `condition` holds or `limit` seconds have passed.
    ///
    /// - Returns: The cluster where it stopped and all events on the way.
    static func run(
        _ cluster: SimCluster, forAtMost limit: Int, until condition: (SimCluster) -> Bool = { _ in false },
        everySecond check: (SimCluster) -> Void = { _ in }
    ) -> (cluster: SimCluster, events: [Event]) {
        var cluster = cluster
        var events: [Event] = []
        for _ in 0..<limit {
            if condition(cluster) { break }
            let step = cluster.step(to: cluster.now.adding(1))
            cluster = step.cluster
            events += step.events
            check(cluster)
        }
        return (cluster, events)
    }

    /// Whether the Deployment's rollout is complete (upstream `DeploymentComplete` on its status).
    static func complete(_ name: String = "web") -> (SimCluster) -> Bool {
        { cluster in
            guard let deployment = cluster.deployment(name) else { return false }
            return RolloutRules.deploymentComplete(deployment, deployment.status)
        }
    }
}
