/// What the kubelet reports about pods: the phase, readiness, availability and restarts.
///
/// A healthy pod is ready `readinessDelaySeconds` after creation (the readiness probe's `initialDelaySeconds`, 0
/// without a probe) and available `minReadySeconds` after it became ready. Faults from the ``FaultPlan`` are looked
/// up every second. Upstream counts a pod available only when strictly more than `minReadySeconds` have passed since
/// its ready transition, measured against timestamps of one-second resolution; in whole simulated seconds the
/// simulator counts it available once `minReadySeconds` have passed.
public enum PodLifecycle {
    /// Kubelet's crash-loop back-off: 10 s, doubling, at most 300 s.
    static let initialBackOffSeconds = 10
    static let maxBackOffSeconds = 300

    /// Advances every pod to `now`.
    ///
    /// - Parameters:
    ///   - pods: The pods.
    ///   - replicaSets: Their ReplicaSets, for `minReadySeconds`: one Deployment's few, each
    ///     pod's found by a scan.
    ///   - faults: The injected faults.
    ///   - now: The current time.
    /// - Returns: The pods with phase, readiness, availability and restarts as of `now`.
    public static func advance(_ pods: [SimPod], replicaSets: [SimReplicaSet], faults: FaultPlan, now: SimTime)
        -> [SimPod]
    {
        pods.map { pod in
            let owner = replicaSets.firstIndex { $0.namespace == pod.namespace && $0.name == pod.owner }
            return advance(
                pod, minReadySeconds: owner.map { replicaSets[$0].minReadySeconds } ?? 0, faults: faults, now: now)
        }
    }

    /// Advances one pod to `now`.
    static func advance(_ pod: SimPod, minReadySeconds: Int, faults: FaultPlan, now: SimTime) -> SimPod {
        var pod = pod
        guard pod.createdAt <= now else { return pod }
        pod.phase = .running
        let readyAt: SimTime?
        switch faults.fault(forImages: pod.images) {
        case .none:
            readyAt = pod.createdAt.adding(pod.readinessDelaySeconds)
        case .slowStart(let seconds):
            readyAt = pod.createdAt.adding(pod.readinessDelaySeconds + seconds)
        case .neverReady:
            readyAt = nil
        case .crashLoop:
            readyAt = nil
            pod.restartCount = crashLoopRestarts(after: now.seconds - pod.createdAt.seconds)
        }
        if let readyAt, readyAt <= now {
            pod.readySince = pod.readySince ?? now
        } else {
            pod.readySince = nil
        }
        if let readySince = pod.readySince, readySince.adding(minReadySeconds) <= now {
            pod.availableSince = pod.availableSince ?? now
        } else {
            pod.availableSince = nil
        }
        return pod
    }

    /// Restarts of a container that exits at once, `elapsed` seconds after it first started.
    static func crashLoopRestarts(after elapsed: Int) -> Int {
        var restarts = 0
        var nextRestart = initialBackOffSeconds
        var backOff = initialBackOffSeconds
        while nextRestart <= elapsed {
            restarts += 1
            backOff = min(backOff * 2, maxBackOffSeconds)
            nextRestart += backOff
        }
        return restarts
    }
}
