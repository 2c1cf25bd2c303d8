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
        // The block keeps the executor alive: a job may release the actor, and with it this
        // executor, before it returns.
        queue.async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }
}
