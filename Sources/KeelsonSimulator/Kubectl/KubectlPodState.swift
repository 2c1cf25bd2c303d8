import KeelsonKubernetes

/// How kubectl would see one simulated pod: the container states and the STATUS column, derived once for both the
/// JSON view and the table.
struct KubectlPodState {
    /// The container names, from the owning ReplicaSet's template.
    var containerNames: [String]
    /// The container images, in the same order.
    var images: [String]
    /// The waiting reason shared by all containers (`ContainerCreating`, `CrashLoopBackOff`), or `nil` when running.
    var waitingReason: String?
    /// When the last crash-loop restart happened, if any.
    var lastRestart: SimTime?

    init(_ pod: SimPod, replicaSet: SimReplicaSet?, faults: FaultPlan) {
        let containers = replicaSet?.template.containers ?? []
        if containers.count == pod.images.count {
            containerNames = containers.map(\.name)
        } else {
            containerNames = pod.images.indices.map { "container-\($0)" }
        }
        images = pod.images
        let crashLooping = faults.fault(forImages: pod.images) == .crashLoop
        if pod.phase == .pending {
            waitingReason = "ContainerCreating"
        } else if crashLooping {
            waitingReason = "CrashLoopBackOff"
        } else {
            waitingReason = nil
        }
        lastRestart =
            crashLooping && pod.restartCount > 0
            ? pod.createdAt.adding(Self.secondsUntilRestart(pod.restartCount)) : nil
    }

    /// `Running`, `ContainerCreating` or `CrashLoopBackOff`, as kubectl's `printPod` picks the STATUS column.
    var status: String { waitingReason ?? SimPodPhase.running.rawValue }

    /// Seconds from creation to the `restart`th restart under kubelet's back-off, mirroring ``PodLifecycle``.
    private static func secondsUntilRestart(_ restart: Int) -> Int {
        var elapsed = 0
        var backOff = PodLifecycle.initialBackOffSeconds
        for _ in 0..<restart {
            elapsed += backOff
            backOff = min(backOff * 2, PodLifecycle.maxBackOffSeconds)
        }
        return elapsed
    }
}
