import KeelsonKubernetes

/// The kubelet's part: each pod's phase, readiness and restarts, reported in its status as the
/// kubelet reports them.
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
    /// The waiting reason of a container between crash-loop restarts.
    static let crashLoopBackOff = "CrashLoopBackOff"

    /// Advances every pod to `now`.
    ///
    /// Pods of one ReplicaSet made in the same second report the same status: they share one
    /// (one copy-on-write value in memory, not one per pod of 100,000).
    public static func advance(_ pods: [Pod], faults: FaultPlan, now: Time) -> [Pod] {
        var shared: PodStatus?
        return pods.map { pod in
            var pod = advance(pod, faults: faults, now: now)
            if let shared, shared == pod.status {
                pod.status = shared
            } else {
                shared = pod.status
            }
            return pod
        }
    }

    /// Advances one pod to `now`.
    static func advance(_ pod: Pod, faults: FaultPlan, now: Time) -> Pod {
        guard pod.createdAt <= now else { return pod }
        let fault = faults.faultsByImage.isEmpty ? nil : faults.fault(forImages: pod.images)
        let readyAt: Time?
        var restarts = pod.restartCount
        switch fault {
        case .none:
            readyAt = pod.createdAt.adding(pod.readinessDelaySeconds)
        case .slowStart(let seconds):
            readyAt = pod.createdAt.adding(pod.readinessDelaySeconds + seconds)
        case .neverReady:
            readyAt = nil
        case .crashLoop:
            readyAt = nil
            restarts = crashLoopRestarts(after: now.seconds(since: pod.createdAt))
        }
        let readySince = readyAt.flatMap { $0 <= now ? pod.readySince ?? now : nil }
        let crashLooping = fault == .crashLoop
        // What the status reports changes only with these: most seconds, no status is built.
        if pod.status.phase == .running, readySince == pod.readySince, restarts == pod.restartCount,
            crashLooping == pod.isCrashLooping
        {
            return pod
        }
        var pod = pod
        pod.status = status(
            of: pod, phase: .running, readySince: readySince, restarts: restarts, crashLooping: crashLooping)
        return pod
    }

    /// The status the kubelet reports for `pod`: the four conditions, one status per container
    /// (all alike: faults act on the whole pod) and the phase.
    ///
    /// - Parameters:
    ///   - readySince: Since when the pod has been ready; nil while it is not.
    ///   - restarts: Container restarts so far.
    ///   - crashLooping: Whether its containers exit at once (then they wait in `CrashLoopBackOff`).
    static func status(of pod: Pod, phase: PodPhase, readySince: Time?, restarts: Int, crashLooping: Bool)
        -> PodStatus
    {
        let created = pod.createdAt
        let names = pod.spec.containers.map(\.name)
        let unready = readySince == nil ? "containers with unready status: [\(names.joined(separator: " "))]" : nil
        func condition(_ type: String, ready: Bool, since: Time) -> PodCondition {
            PodCondition(
                type: type, status: ready ? .true : .false, reason: ready ? nil : "ContainersNotReady",
                message: ready ? nil : unready, lastTransitionTime: since)
        }
        let waiting = phase == .pending ? "ContainerCreating" : crashLooping ? crashLoopBackOff : nil
        let lastRestart = crashLooping && restarts > 0 ? created.adding(secondsUntilRestart(restarts)) : nil
        let containers = pod.spec.containers.map { container in
            ContainerStatus(
                name: container.name, image: container.image, ready: readySince != nil, started: waiting == nil,
                restartCount: restarts,
                state: waiting.map { .waiting(reason: $0) } ?? .running(startedAt: created),
                lastState: lastRestart.map { .terminated(exitCode: 1, reason: "Error", finishedAt: $0) })
        }
        return PodStatus(
            phase: phase,
            conditions: [
                PodCondition(type: "Initialized", status: .true, lastTransitionTime: created),
                condition(PodCondition.ready, ready: readySince != nil, since: readySince ?? created),
                condition("ContainersReady", ready: readySince != nil, since: readySince ?? created),
                PodCondition(type: "PodScheduled", status: .true, lastTransitionTime: created),
            ],
            containerStatuses: containers, startTime: created)
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

    /// Seconds from creation to the `restart`th restart under the back-off.
    static func secondsUntilRestart(_ restart: Int) -> Int {
        var elapsed = 0
        var backOff = initialBackOffSeconds
        for _ in 0..<restart {
            elapsed += backOff
            backOff = min(backOff * 2, maxBackOffSeconds)
        }
        return elapsed
    }
}
