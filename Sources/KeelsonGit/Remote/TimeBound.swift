import Dispatch
import Synchronization

/// Runs `work`, stopping it through `signal` when the calling task is cancelled or `timeout`
/// passes. The caller gets its answer at the deadline even when libgit2 sits in a blocking read
/// that calls no callback (libgit2 1.5 has no connect or read time-out of its own); the stuck call
/// then ends at its next callback or when the OS gives up on the connection.
///
/// The deadline is a dispatch timer, cancelled (and freed) as soon as the work ends: a cancelled
/// `Task.sleep` keeps its task and dispatch timer until the deadline it would have woken at, and
/// a daemon fetching a few times a second with the 300-second default held some 30,000 of them.
func boundedInTime<T: Sendable>(
    _ timeout: Duration?, signal: AbortSignal, operation: String,
    _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = Outcome<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            // Cancelled before it began: answer at once and start nothing.
            guard outcome.install(continuation) else { return }
            Task {
                // Counted from when the work starts, as a time limit on the remote: a process
                // whose threads are all busy must not fail operations that have not begun.
                outcome.setTimer(
                    timeout.map { timeout in
                        Deadline(after: timeout) {
                            signal.abort(.timedOut)
                            outcome.finish(
                                .failure(
                                    GitError(
                                        operation: operation, kind: .timedOut, message: "no answer within \(timeout)")))
                        }
                    })
                let result: Result<T, any Error>
                do { result = .success(try await work()) } catch { result = .failure(error) }
                outcome.finish(result)
            }
        }
    } onCancel: {
        signal.abort(.cancelled)
        outcome.finish(
            .failure(GitError(operation: operation, kind: .cancelled, message: "the operation was cancelled")))
    }
}

/// A continuation resumed exactly once, by whichever of work, timer and cancellation comes first,
/// even when cancellation arrives before the continuation exists; the timer stops once it is moot.
private final class Outcome<T: Sendable>: Sendable {
    private enum Phase {
        case waiting
        case installed(CheckedContinuation<T, any Error>)
        case finishedEarly(Result<T, any Error>)
        case done
    }

    private struct State {
        var phase = Phase.waiting
        var timer: Deadline?
    }

    private let state = Mutex(State())

    /// Installs the continuation; false when the outcome was already decided (and delivered).
    func install(_ continuation: CheckedContinuation<T, any Error>) -> Bool {
        let early: Result<T, any Error>? = state.withLock { state in
            if case .finishedEarly(let result) = state.phase {
                state.phase = .done
                return result
            }
            state.phase = .installed(continuation)
            return nil
        }
        guard let early else { return true }
        continuation.resume(with: early)
        return false
    }

    /// Keeps the time-limit timer to cancel when the outcome is decided (at once if it already is).
    func setTimer(_ timer: Deadline?) {
        let decided = state.withLock { state -> Bool in
            if case .installed = state.phase {
                state.timer = timer
                return false
            }
            return true
        }
        if decided { timer?.cancel() }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, timer) = state.withLock {
            state -> (CheckedContinuation<T, any Error>?, Deadline?) in
            switch state.phase {
            case .waiting:
                state.phase = .finishedEarly(result)
                return (nil, nil)
            case .installed(let continuation):
                state.phase = .done
                defer { state.timer = nil }
                return (continuation, state.timer)
            case .finishedEarly, .done:
                return (nil, nil)
            }
        }
        timer?.cancel()
        continuation?.resume(with: result)
    }
}

/// A dispatch timer that calls its handler once, at a deadline, unless cancelled first; a cancelled
/// one is freed at once. (Dispatch sources are safe to cancel from any thread; the source is set
/// up before it is shared and only cancelled afterwards, hence the unchecked `Sendable`.)
private final class Deadline: @unchecked Sendable {
    private let source: any DispatchSourceTimer

    init(after duration: Duration, _ handler: @escaping @Sendable () -> Void) {
        source = DispatchSource.makeTimerSource(queue: .global())
        source.setEventHandler(handler: handler)
        let (seconds, attoseconds) = duration.components
        source.schedule(
            deadline: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)))
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}
