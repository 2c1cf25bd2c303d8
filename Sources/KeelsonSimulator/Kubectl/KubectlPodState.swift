import KeelsonKubernetes

/// What kubectl's `printPod` shows of a pod's status: the STATUS and RESTARTS columns.
struct KubectlPodState {
    /// The waiting reason of the first waiting container (`ContainerCreating`, `CrashLoopBackOff`), or nil when all run.
    var waitingReason: String?
    /// When the last restart happened, if any.
    var lastRestart: Time?

    init(_ pod: Pod) {
        waitingReason =
            pod.status.containerStatuses.lazy.compactMap { status -> String? in
                guard case .waiting(let reason)? = status.state else { return nil }
                return reason
            }.first
        lastRestart = pod.status.containerStatuses.compactMap { status -> Time? in
            guard case .terminated(_, _, let finishedAt)? = status.lastState else { return nil }
            return finishedAt
        }.max()
    }

    /// The waiting reason, else the phase, as kubectl's `printPod` picks the STATUS column.
    func status(of pod: Pod) -> String { waitingReason ?? pod.status.phase.rawValue }
}
