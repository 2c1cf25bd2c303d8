import Dispatch

/// A serial executor over its own dispatch queue, so an actor's blocking libgit2 calls (network
/// transfers above all) occupy that queue's thread rather than the cooperative pool's few threads.
final class DispatchQueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
