import KeelsonKubernetes

extension KubectlTable {
    /// `kubectl get deployments`: NAME, READY (`ready/desired`), UP-TO-DATE, AVAILABLE, AGE.
    ///
    /// - Parameters:
    ///   - deployments: The rows, in order.
    ///   - now: The time ages are measured at.
    public static func deployments(_ deployments: [Deployment], now: Time) -> KubectlTable {
        KubectlTable(
            headers: ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            rows: deployments.map { deployment in
                [
                    deployment.name, "\(deployment.status.readyReplicas)/\(deployment.spec.replicas)",
                    String(deployment.status.updatedReplicas), String(deployment.status.availableReplicas),
                    HumanDuration.age(of: deployment.createdAt ?? .clusterEpoch, now: now),
                ]
            })
    }

    /// `kubectl get replicasets`: NAME, DESIRED, CURRENT, READY, AGE.
    public static func replicaSets(_ replicaSets: [ReplicaSet], now: Time) -> KubectlTable {
        KubectlTable(
            headers: ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            rows: replicaSets.map { replicaSet in
                [
                    replicaSet.name, String(replicaSet.spec.replicas), String(replicaSet.status.replicas),
                    String(replicaSet.status.readyReplicas), HumanDuration.age(of: replicaSet.createdAt, now: now),
                ]
            })
    }

    /// `kubectl get pods`: NAME, READY (`ready/containers`), STATUS, RESTARTS (`3 (40s ago)` once restarted), AGE.
    ///
    /// STATUS is a container's waiting reason (`ContainerCreating` before it starts, `CrashLoopBackOff` between
    /// restarts), else the phase.
    ///
    /// - Parameters:
    ///   - pods: The rows, in order.
    ///   - now: The time ages are measured at.
    public static func pods(_ pods: [Pod], now: Time) -> KubectlTable {
        KubectlTable(
            headers: ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            rows: pods.map { pod in
                let state = KubectlPodState(pod)
                let containers = pod.status.containerStatuses
                let restarts =
                    state.lastRestart.map { "\(pod.restartCount) (\(HumanDuration.age(of: $0, now: now)) ago)" }
                    ?? String(pod.restartCount)
                return [
                    pod.name, "\(containers.count(where: \.ready))/\(containers.count)", state.status(of: pod),
                    restarts, HumanDuration.age(of: pod.createdAt, now: now),
                ]
            })
    }

    /// `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT (`deployment/web`), MESSAGE.
    public static func events(_ events: [Event], now: Time) -> KubectlTable {
        KubectlTable(
            headers: ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            rows: events.map { event in
                [
                    HumanDuration.age(of: event.time, now: now), event.type, event.reason,
                    "\(event.involvedObject.kind.lowercased())/\(event.involvedObject.name)", event.message,
                ]
            })
    }
}
