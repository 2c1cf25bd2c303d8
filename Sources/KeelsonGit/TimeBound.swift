import Synchronization

/// Runs `work`, stopping it through `signal` when the calling task is cancelled or `timeout`
/// passes. The caller gets its answer at the deadline even when libgit2 sits in a blocking read
/// that calls no callback (libgit2 1.5 has no connect or read time-out of its own); the stuck call
/// then ends at its next callback or when the OS gives up on the connection.
func boundedInTime<T: Sendable>(
    _ timeout: Duration?, signal: AbortSignal, operation: String,
    _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = Outcome<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            outcome.install(continuation)
            let timer: Task<Void, Never>? = timeout.map { timeout in
                Task {
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    signal.abort(.timedOut)
                    outcome.finish(.failure(GitError(operation: operation, kind: .timedOut, message: "no answer within \(timeout)")))
                }
            }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await work()) } catch { result = .failure(error) }
                timer?.cancel()
                outcome.finish(result)
            }
        }
    } onCancel: {
        signal.abort(.cancelled)
        outcome.finish(.failure(GitError(operation: operation, kind: .cancelled, message: "the operation was cancelled")))
    }
}

/// A continuation resumed exactly once, by whichever of work, timer and cancellation comes first,
/// even when cancellation arrives before the continuation exists.
private final class Outcome<T: Sendable>: Sendable {
    private enum State {
        case waiting
        case installed(CheckedContinuation<T, any Error>)
        case finishedEarly(Result<T, any Error>)
        case done
    }

    private let state = Mutex<State>(.waiting)

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = state.withLock { state in
            if case .finishedEarly(let result) = state {
                state = .done
                return result
            }
            state = .installed(continuation)
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ result: Result<T, any Error>) {
        let continuation: CheckedContinuation<T, any Error>? = state.withLock { state in
            switch state {
            case .waiting:
                state = .finishedEarly(result)
                return nil
            case .installed(let continuation):
                state = .done
                return continuation
            case .finishedEarly, .done:
                return nil
            }
        }
        continuation?.resume(with: result)
    }
}
