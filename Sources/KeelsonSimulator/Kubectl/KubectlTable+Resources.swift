import KeelsonKubernetes

extension KubectlTable {
    /// `kubectl get deployments`: NAME, READY (`ready/desired`), UP-TO-DATE, AVAILABLE, AGE.
    ///
    /// - Parameters:
    ///   - deployments: The rows, in order.
    ///   - now: The time ages are measured at.
    public static func deployments(_ deployments: [SimDeployment], now: SimTime) -> KubectlTable {
        KubectlTable(
            headers: ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            rows: deployments.map { deployment in
                [
                    deployment.name, "\(deployment.status.readyReplicas)/\(deployment.spec.replicas)",
                    String(deployment.status.updatedReplicas), String(deployment.status.availableReplicas),
                    HumanDuration.age(of: deployment.createdAt ?? .epoch, now: now),
                ]
            })
    }

    /// `kubectl get replicasets`: NAME, DESIRED, CURRENT, READY, AGE.
    public static func replicaSets(_ replicaSets: [SimReplicaSet], now: SimTime) -> KubectlTable {
        KubectlTable(
            headers: ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            rows: replicaSets.map { replicaSet in
                [
                    replicaSet.name, String(replicaSet.replicas), String(replicaSet.status.replicas),
                    String(replicaSet.status.readyReplicas), HumanDuration.age(of: replicaSet.createdAt, now: now),
                ]
            })
    }

    /// `kubectl get pods`: NAME, READY (`ready/containers`), STATUS, RESTARTS (`3 (40s ago)` once restarted), AGE.
    ///
    /// STATUS is `ContainerCreating` for a pod not started yet, `CrashLoopBackOff` for one running an image the
    /// cluster's ``FaultPlan`` makes crash, otherwise `Running`.
    ///
    /// - Parameters:
    ///   - pods: The rows, in order.
    ///   - cluster: Their cluster, for containers, faults and the current time.
    public static func pods(_ pods: [SimPod], in cluster: SimCluster) -> KubectlTable {
        KubectlTable(
            headers: ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            rows: pods.map { pod in
                let replicaSet = cluster.replicaSet(pod.owner, namespace: pod.namespace)
                let state = KubectlPodState(pod, replicaSet: replicaSet, faults: cluster.faults)
                let containers = state.containerNames.count
                let restarts =
                    state.lastRestart.map { "\(pod.restartCount) (\(HumanDuration.age(of: $0, now: cluster.now)) ago)" }
                    ?? String(pod.restartCount)
                return [
                    pod.name, "\(pod.isReady ? containers : 0)/\(containers)", state.status, restarts,
                    HumanDuration.age(of: pod.createdAt, now: cluster.now),
                ]
            })
    }

    /// `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT (`deployment/web`), MESSAGE.
    public static func events(_ events: [SimEvent], now: SimTime) -> KubectlTable {
        KubectlTable(
            headers: ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            rows: events.map { event in
                [
                    HumanDuration.age(of: event.time, now: now), event.type, event.reason,
                    "\(event.kind.lowercased())/\(event.name)", event.message,
                ]
            })
    }
}
