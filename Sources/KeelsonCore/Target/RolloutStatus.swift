/// Where a Deployment's rollout stands, in the words `kubectl rollout status` uses.
public struct RolloutStatus: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        /// New pods are being rolled out.
        case progressing
        /// Every replica runs the current template and is available.
        case complete
        /// The rollout stopped making progress (`ProgressDeadlineExceeded`).
        case failed(reason: String)
        /// The Deployment is paused.
        case paused
    }

    public let phase: Phase
    /// kubectl's sentence, e.g. `Waiting for deployment "web" rollout to finish: 2 out of 10 new replicas have been updated...`.
    public let message: String
    public let desired: Int
    public let updated: Int
    public let ready: Int
    public let available: Int
    /// The `deployment.kubernetes.io/revision` of the current template.
    public let revision: Int?
    /// Container restarts of each pod running the current template, for pods that restarted at least once
    /// (a crash loop shows here long before the progress deadline).
    public let restartsByPod: [String: Int]

    public init(
        phase: Phase, message: String, desired: Int, updated: Int, ready: Int, available: Int, revision: Int?,
        restartsByPod: [String: Int] = [:]
    ) {
        self.phase = phase
        self.message = message
        self.desired = desired
        self.updated = updated
        self.ready = ready
        self.available = available
        self.revision = revision
        self.restartsByPod = restartsByPod
    }
}
