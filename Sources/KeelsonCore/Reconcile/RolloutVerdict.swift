/// How Keelson judges a Deployment's rollout: done, still going, or failed — failed either when
/// the progress deadline passed or when pods of the new template crash-loop, which shows long
/// before the deadline.
public enum RolloutVerdict {
    /// Restarts of one pod of the current template that count as a crash loop.
    public static let crashLoopRestarts = 3

    /// Why the rollout failed, or nil while it has not.
    public static func failure(_ status: RolloutStatus) -> String? {
        if case .failed(let reason) = status.phase { return "\(reason): \(status.message)" }
        guard let (pod, restarts) = status.restartsByPod.max(by: { $0.value < $1.value }),
            restarts >= crashLoopRestarts
        else { return nil }
        return "CrashLoopBackOff: pod \(pod) restarted \(restarts) times"
    }

    /// Whether nothing more will happen without a change: complete, paused or failed.
    public static func isSettled(_ status: RolloutStatus) -> Bool {
        switch status.phase {
        case .complete, .paused, .failed: true
        case .progressing: failure(status) != nil
        }
    }

    /// The Deployment's health.
    public static func health(_ status: RolloutStatus) -> HealthStatus {
        if failure(status) != nil { return .degraded }
        switch status.phase {
        case .complete: return .healthy
        case .progressing: return .progressing
        case .paused: return .suspended
        case .failed: return .degraded
        }
    }
}
