import Foundation
import HeapModule
import KeelsonCore
import ServiceLifecycle

/// Decides when each application is reconciled, from the ``ReconcileOutcome`` of its last pass:
/// on its own interval with jitter (so a thousand applications do not wake together), sooner while
/// a rollout is in progress or the application was held, later after transient errors (exponential
/// backoff from ``Settings/firstRetry``); refused manifests wait for the interval, not retried
/// sooner; at once when a webhook or a person asks. Never two passes of one application at once,
/// never more than `concurrency` passes in all; requests that arrive while an application is
/// running are coalesced into one more pass.
public actor Scheduler<C: Clock>: Service where C.Duration == Duration {
    /// Why a pass runs.
    public enum Reason: String, Sendable {
        /// The interval passed; `progress`: a rollout was in progress, or the application was held.
        case schedule, progress
        /// A push.
        case webhook
    }

    /// The scheduler's settings.
    public struct Settings: Sendable {
        /// Passes running at once, across applications.
        public var concurrency = 4
        /// Every interval is stretched or shrunk by up to this fraction, at random.
        public var jitter = 0.1
        /// How soon an application with a rollout in progress is looked at again.
        public var progressInterval: Duration = .seconds(5)
        /// The wait after a failed pass (or the interval, if shorter); it doubles with each
        /// failure in a row. A pass that failed because a resource ran out, or the network, is
        /// tried again soon, not an interval later.
        public var firstRetry: Duration = .seconds(10)
        /// The longest wait after repeated errors (unless the interval is longer).
        public var maximumBackoff: Duration = .seconds(600)
        /// Overrides every application's interval (`keelson run --interval`).
        public var interval: Duration?
        /// First passes after start are spread over 10 ms per application, at most this long (or
        /// the interval, if shorter).
        public var startupSpread: Duration = .seconds(10)

        public init() {}
    }

    /// An application the scheduler knows, and how often it wants a pass.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var interval: Duration

        public init(name: String, interval: Duration) {
            self.name = name
            self.interval = interval
        }
    }

    private struct State {
        var interval: Duration
        var due: C.Instant
        var failures = 0
        var running = false
        var again: Reason?
        /// Why the next pass at ``due`` runs.
        var next = Reason.schedule
        var passes = 0
    }

    /// A pass someone waits for (``perform(_:_:)``): it runs as soon as its application
    /// is not running and the limit allows, before any pass that is merely due.
    private struct Job {
        let name: String
        let run: @Sendable () async -> ReconcileOutcome
        /// Answers the one waiting when the scheduler stops before the job ran.
        let cancel: @Sendable () -> Void
    }

    /// What the loop starts: a pass of the work, or a job.
    private enum Start {
        case pass(String, Reason)
        case job(Job)
    }

    /// When an application is due; the queue's entries whose time is no longer the
    /// application's `due` are stale and skipped.
    private struct Due: Comparable {
        var instant: C.Instant
        var name: String

        static func < (lhs: Due, rhs: Due) -> Bool { (lhs.instant, lhs.name) < (rhs.instant, rhs.name) }
    }

    private let clock: C
    private let settings: Settings
    private let applications: @Sendable () throws -> [Entry]
    private let applicationsVersion: (@Sendable () throws -> Int)?
    private let work: @Sendable (String, Reason) async -> ReconcileOutcome
    private var states: [String: State] = [:]
    /// Every application's next due time, soonest first: a wake-up looks at the due ones only,
    /// not at every application.
    private var queue = Heap<Due>()
    private var knownVersion: Int?
    /// Triggers for applications not known yet (added since the list was last read).
    private var pending: [String: Reason] = [:]
    private var running = 0
    private var wake: AsyncStream<Void>.Continuation?
    private var firstRound: Set<String>?
    /// Jobs waiting to start, oldest first.
    private var jobs: [Job] = []
    /// Applications not known (yet) whose job runs: one picked up meanwhile starts as running.
    private var unknownRunning: Set<String> = []
    /// The loop ended: jobs are refused.
    private var stopped = false

    /// - Parameters:
    ///   - clock: The clock intervals are measured on (a manual one in tests).
    ///   - applicationsVersion: A number that changes whenever the applications do; the list is
    ///     read again only then. Nil reads it on every wake-up.
    ///   - applications: The applications to schedule, so ones added or removed while the daemon
    ///     runs are picked up.
    ///   - work: One pass over one application.
    public init(
        clock: C, settings: Settings = Settings(),
        applicationsVersion: (@Sendable () throws -> Int)? = nil,
        applications: @escaping @Sendable () throws -> [Entry],
        work: @escaping @Sendable (String, Reason) async -> ReconcileOutcome
    ) {
        self.clock = clock
        self.settings = settings
        self.applicationsVersion = applicationsVersion
        self.applications = applications
        self.work = work
    }

    /// Asks for a pass of each of `names` now (coalesced with one already running).
    public func trigger(_ names: [String], reason: Reason) {
        let now = clock.now
        for name in names {
            guard let state = states[name] else {
                pending[name] = reason
                continue
            }
            states[name]!.again = reason
            if !state.running { schedule(name, at: now) }
        }
        wake?.yield()
    }

    /// Runs `job` as a pass of `name`, in the one queue and under the one concurrency limit that
    /// every pass shares, never beside another pass of `name`, and returns what it returned; the
    /// next pass is scheduled from the outcome it gives. The HTTP API's syncs and rollbacks and the
    /// alerts' rollbacks come in this way, as scheduled passes and pushes do through ``trigger(_:reason:)``.
    ///
    /// A job the caller stops waiting for still runs: it was asked for.
    ///
    /// - Throws: what `job` threw; `CancellationError` when the scheduler stops before it ran.
    public func perform<T: Sendable>(
        _ name: String,
        _ job: @escaping @Sendable () async throws -> (value: T, outcome: ReconcileOutcome)
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            guard !stopped else { return continuation.resume(throwing: CancellationError()) }
            jobs.append(
                Job(
                    name: name,
                    run: {
                        do {
                            let (value, outcome) = try await job()
                            continuation.resume(returning: value)
                            return outcome
                        } catch {
                            continuation.resume(throwing: error)
                            return ReconcileOutcome(error: error)
                        }
                    }, cancel: { continuation.resume(throwing: CancellationError()) }))
            wake?.yield()
        }
    }

    /// Whether every application known at start has had one pass.
    public var firstRoundDone: Bool { firstRound?.isEmpty ?? false }

    /// Completed passes of `name` so far.
    public func passes(of name: String) -> Int { states[name]?.passes ?? 0 }

    /// Runs until cancelled or the service group shuts down gracefully; passes in flight finish.
    public func run() async throws {
        let (wakeups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wake = continuation
        await withDiscardingTaskGroup { group in
            var timer: (task: Task<Void, Never>, due: C.Instant)?
            await withGracefulShutdownHandler {
                var iterator = wakeups.makeAsyncIterator()
                while !Task.isCancelled {
                    refresh()
                    for start in startable() {
                        switch start {
                        case .pass(let name, let reason):
                            group.addTask { await self.finish(name, await self.work(name, reason)) }
                        case .job(let job):
                            group.addTask { await self.finish(job.name, await job.run()) }
                        }
                    }
                    // Armed again only when the next pass moved: a cancelled sleep keeps its
                    // task and dispatch timer until the deadline it would have woken at, and
                    // every push and every finished pass wakes this loop.
                    let next = nextDue()
                    if next != timer?.due {
                        timer?.task.cancel()
                        timer = next.map { next in
                            let clock = self.clock
                            let task = Task { [continuation] in
                                try? await clock.sleep(until: next, tolerance: nil)
                                if !Task.isCancelled { continuation.yield() }
                            }
                            return (task, next)
                        }
                    }
                    guard await iterator.next() != nil else { break }
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            timer?.task.cancel()
        }
        stopped = true
        for job in jobs { job.cancel() }
        jobs = []
    }

    // MARK: Internals

    /// Picks up added and removed applications and interval changes, when there are any.
    private func refresh() {
        let version = try? applicationsVersion?()
        if version != nil, version == knownVersion, pending.isEmpty { return }
        guard let entries = try? applications() else { return }
        let now = clock.now
        var seen: Set<String> = []
        for entry in entries {
            seen.insert(entry.name)
            let interval = settings.interval ?? entry.interval
            if states[entry.name] == nil {
                let spread = min(interval, settings.startupSpread, .milliseconds(10) * entries.count)
                states[entry.name] = State(interval: interval, due: now, running: unknownRunning.contains(entry.name))
                schedule(entry.name, at: now.advanced(by: spread * Double.random(in: 0..<1)))
            }
            states[entry.name]!.interval = interval
        }
        // One removed while it runs is forgotten on a later read, after it finished.
        var removedWhileRunning = false
        for name in states.keys where !seen.contains(name) {
            if states[name]!.running { removedWhileRunning = true } else { states[name] = nil }
        }
        knownVersion = removedWhileRunning ? nil : version
        if firstRound == nil { firstRound = seen }
        let triggered = pending
        pending = [:]
        for (name, reason) in triggered where states[name] != nil { trigger([name], reason: reason) }
    }

    /// Marks due applications as running, as many as concurrency allows, most overdue first.
    /// The jobs, then the due passes, that may start now.
    private func startable() -> [Start] {
        var started: [Start] = []
        var waiting: [Job] = []
        for job in jobs {
            guard running < settings.concurrency, states[job.name]?.running != true,
                !unknownRunning.contains(job.name)
            else {
                waiting.append(job)
                continue
            }
            // One not known (yet) runs all the same: it answers for itself.
            if states[job.name] == nil { unknownRunning.insert(job.name) }
            states[job.name]?.running = true
            running += 1
            started.append(.job(job))
        }
        jobs = waiting
        let now = clock.now
        while running < settings.concurrency, let next = queue.min, next.instant <= now {
            queue.removeMin()
            guard let state = states[next.name], !state.running, state.due == next.instant else { continue }
            states[next.name]!.running = true
            states[next.name]!.again = nil
            running += 1
            started.append(.pass(next.name, state.again ?? state.next))
        }
        return started
    }

    private func nextDue() -> C.Instant? {
        guard running < settings.concurrency else { return nil }
        while let next = queue.min {
            if let state = states[next.name], !state.running, state.due == next.instant { return next.instant }
            queue.removeMin()
        }
        return nil
    }

    /// Makes `name` due at `instant`.
    private func schedule(_ name: String, at instant: C.Instant) {
        states[name]?.due = instant
        queue.insert(Due(instant: instant, name: name))
    }

    private func finish(_ name: String, _ outcome: ReconcileOutcome) {
        running -= 1
        firstRound?.remove(name)
        unknownRunning.remove(name)
        // A slot is free: what waits for one starts.
        defer { wake?.yield() }
        guard var state = states[name] else { return }
        state.running = false
        state.passes += 1
        let now = clock.now
        state.next = .schedule
        switch outcome {
        case .settled, .suspended, .terminal:
            state.failures = 0
            state.due = now.advanced(by: jittered(state.interval))
        case .requeueSoon:
            state.failures = 0
            state.due = now.advanced(by: min(settings.progressInterval, state.interval))
            state.next = .progress
        case .transient:
            state.failures += 1
            let backoff = min(settings.firstRetry, state.interval) * Double(1 << min(state.failures - 1, 16))
            state.due = now.advanced(by: min(backoff, max(settings.maximumBackoff, state.interval)))
        }
        if state.again != nil { state.due = now }
        states[name] = state
        schedule(name, at: state.due)
    }

    private func jittered(_ interval: Duration) -> Duration {
        interval * (1 + Double.random(in: -settings.jitter...settings.jitter))
    }
}
