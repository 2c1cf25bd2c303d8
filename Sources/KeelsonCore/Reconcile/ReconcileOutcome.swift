/// What a pass asks of whoever runs the next one, as controller-runtime's `Result{RequeueAfter}`
/// and `TerminalError` do: a scheduler decides from this, never from a report's notes.
public enum ReconcileOutcome: String, Sendable, Hashable {
    /// Converged, or nothing to do: the next pass at the application's interval.
    case settled
    /// A rollout is in progress, or another process held the application or the target: look
    /// again soon, and count no failure.
    case requeueSoon
    /// The application is suspended; nothing was done.
    case suspended
    /// The source was refused (invalid manifests, nothing applied): the same commit cannot succeed,
    /// so it is not retried; the interval's pass looks for a new commit.
    case terminal
    /// Something outside failed (git unreachable, a resource ran out, the target refused): retry
    /// with backoff.
    case transient

    /// The outcome of a pass that threw `error`. A request refused for what it asked (no such
    /// application or history entry, nothing to roll back to) is terminal too: it says nothing
    /// about how the application is doing, and must not back its passes off.
    public init(error: any Error) {
        switch error {
        case ReconcileError.locked, TargetError.busy: self = .requeueSoon
        case is ReconcileError, is ApplicationError: self = .terminal
        default: self = .transient
        }
    }
}
