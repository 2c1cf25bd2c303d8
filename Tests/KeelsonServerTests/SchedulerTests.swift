import Clocks
import Foundation
import KeelsonCore
import KeelsonServer
import Synchronization
import Testing

/// The scheduler on a manual clock: nothing happens until time is advanced.
struct SchedulerTests {
    /// Records the passes the scheduler starts and lets a test hold them.
    actor Passes {
        var started: [(String, Scheduler<TestClock<Duration>>.Reason)] = []
        var outcomes: [String: ReconcileOutcome] = [:]
        var held: Set<String> = []
        var running = 0
        var mostRunning = 0

        func run(_ name: String, _ reason: Scheduler<TestClock<Duration>>.Reason) async -> ReconcileOutcome {
            started.append((name, reason))
            running += 1
            mostRunning = max(mostRunning, running)
            while held.contains(name) { await Task.yield() }
            running -= 1
            return outcomes[name] ?? .settled
        }

        func count(_ name: String) -> Int { started.filter { $0.0 == name }.count }
        func hold(_ name: String) { held.insert(name) }
        func release(_ name: String) { held.remove(name) }
        func end(_ name: String, as outcome: ReconcileOutcome) { outcomes[name] = outcome }
    }

    private func start(_ entries: [Scheduler<TestClock<Duration>>.Entry], concurrency: Int = 4)
        -> (Scheduler<TestClock<Duration>>, TestClock<Duration>, Passes, Task<Void, any Error>)
    {
        let clock = TestClock()
        let passes = Passes()
        var settings = Scheduler<TestClock<Duration>>.Settings()
        settings.concurrency = concurrency
        let scheduler = Scheduler(clock: clock, settings: settings, applications: { entries }) { name, reason in
            await passes.run(name, reason)
        }
        return (scheduler, clock, passes, Task { try await scheduler.run() })
    }

    /// Waits until `condition` holds; the real-clock deadline is a safety net only, generous because
    /// other tests may keep the test process's threads busy for a while.
    private func eventually(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("condition never held")
    }

    /// Waits until `scheduler` has finished `count` passes of `name` and sleeps on `clock` for the
    /// next, so that an advance cannot land before the scheduler has read the time it starts from.
    private func idle(
        _ scheduler: Scheduler<TestClock<Duration>>, _ clock: TestClock<Duration>, after count: Int, of name: String
    ) async throws {
        try await eventually { await scheduler.passes(of: name) == count }
        try await eventually {
            do {
                try await clock.checkSuspension()
                return false
            } catch {
                return true
            }
        }
    }

    /// Lets the scheduler's tasks run without moving the clock.
    private func settle() async throws {
        for _ in 0..<20 { await Task.yield() }
        try await Task.sleep(for: .milliseconds(20))
    }

    @Test func applicationsArePassedOnTheirIntervalsOnlyWhenTimeMoves() async throws {
        let (scheduler, clock, passes, task) = start([.init(name: "web", interval: .seconds(60))])
        defer { task.cancel() }
        try await settle()
        #expect(await passes.count("web") == 0)
        // First passes are spread over 10 ms per application; later ones come every 60 s ± 10 %.
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.count("web") == 1 }
        try await idle(scheduler, clock, after: 1, of: "web")
        await clock.advance(by: .seconds(50))
        try await settle()
        #expect(await passes.count("web") == 1)
        await clock.advance(by: .seconds(20))
        try await eventually { await passes.count("web") == 2 }
        #expect(await scheduler.firstRoundDone)
    }

    @Test func aTriggerRunsAtOnceAndBurstsAreCoalesced() async throws {
        let (scheduler, clock, passes, task) = start([.init(name: "web", interval: .seconds(60))])
        defer { task.cancel() }
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.count("web") == 1 }

        await passes.hold("web")
        await scheduler.trigger(["web"], reason: .webhook)
        try await eventually { await passes.count("web") == 2 }
        for _ in 0..<5 { await scheduler.trigger(["web"], reason: .webhook) }
        await passes.release("web")
        try await eventually { await passes.count("web") == 3 }
        try await settle()
        #expect(await passes.count("web") == 3)
        #expect(await passes.started.last?.1 == .webhook)
    }

    /// The first retry comes 10 s after an error, then the wait doubles: a long interval does not
    /// leave a failed application behind for that long.
    @Test(arguments: [10, 3600])
    func errorsBackOffExponentiallyFromTenSeconds(interval: Int) async throws {
        let (scheduler, clock, passes, task) = start([.init(name: "web", interval: .seconds(interval))])
        defer { task.cancel() }
        await passes.end("web", as: .transient)
        try await idle(scheduler, clock, after: 0, of: "web")
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.count("web") == 1 }
        try await idle(scheduler, clock, after: 1, of: "web")
        await clock.advance(by: .seconds(10))
        try await eventually { await passes.count("web") == 2 }
        try await idle(scheduler, clock, after: 2, of: "web")
        // After two failures the wait doubles: 10 s is not enough, 20 s is.
        await clock.advance(by: .seconds(10))
        try await settle()
        #expect(await passes.count("web") == 2)
        await clock.advance(by: .seconds(10))
        try await eventually { await passes.count("web") == 3 }
    }

    /// Refused manifests cannot succeed until a new commit comes (with its webhook): no retries
    /// 10 and 20 s later as after a transient error, the next pass at the interval.
    @Test func refusedManifestsWaitForTheIntervalInsteadOfBackingOff() async throws {
        let (scheduler, clock, passes, task) = start([.init(name: "web", interval: .seconds(600))])
        defer { task.cancel() }
        await passes.end("web", as: .terminal)
        try await idle(scheduler, clock, after: 0, of: "web")
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.count("web") == 1 }
        try await idle(scheduler, clock, after: 1, of: "web")
        await clock.advance(by: .seconds(30))
        try await settle()
        #expect(await passes.count("web") == 1)
        // The interval, at most 10 % longer.
        await clock.advance(by: .seconds(640))
        try await eventually { await passes.count("web") == 2 }
    }

    /// An application another process held, or a rollout in progress, is looked at again after
    /// five seconds, and counts no failure.
    @Test func aHeldApplicationComesBackAfterTheProgressInterval() async throws {
        let (scheduler, clock, passes, task) = start([.init(name: "web", interval: .seconds(600))])
        defer { task.cancel() }
        await passes.end("web", as: .requeueSoon)
        try await idle(scheduler, clock, after: 0, of: "web")
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.count("web") == 1 }
        try await idle(scheduler, clock, after: 1, of: "web")
        await clock.advance(by: .seconds(4))
        try await settle()
        #expect(await passes.count("web") == 1)
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.count("web") == 2 }
    }

    /// A pass someone waits for (the API's sync, an alert's rollback) runs in the one queue: after
    /// the application's running pass, under the same limit, and its value comes back.
    @Test func aJobWaitsForItsApplicationsRunningPassAndSharesTheLimit() async throws {
        let (scheduler, clock, passes, task) = start(
            [.init(name: "web", interval: .seconds(60)), .init(name: "api", interval: .seconds(60))], concurrency: 1)
        defer { task.cancel() }
        await passes.hold("web")
        await passes.hold("api")
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.started.count == 1 }
        let first = try #require(await passes.started.first?.0)
        let other = first == "web" ? "api" : "web"
        let ran = Mutex<[String]>([])
        let job = Task {
            try await scheduler.perform(first) {
                ran.withLock { $0.append("job") }
                return ("synced", .settled)
            }
        }
        try await settle()
        // Held behind the running pass of its application.
        #expect(ran.withLock { $0 }.isEmpty)
        await passes.release(first)
        // Its answer comes while the other application's pass, also due, is held: had that one
        // taken the one slot first, the job would still wait.
        #expect(try await job.value == "synced")
        #expect(ran.withLock { $0 } == ["job"])
        await passes.release(other)
        try await eventually { await passes.count(other) == 1 }
        #expect(await passes.mostRunning == 1)
    }

    /// What a job throws reaches the one waiting, and counts as the pass's outcome.
    @Test func aJobsErrorIsRethrownAndBacksOff() async throws {
        let (scheduler, clock, passes, task) = start([.init(name: "web", interval: .seconds(600))])
        defer { task.cancel() }
        struct Unreachable: Error {}
        try await idle(scheduler, clock, after: 0, of: "web")
        await #expect(throws: Unreachable.self) {
            try await scheduler.perform("web") {
                () async throws -> (value: Int, outcome: ReconcileOutcome) in
                throw Unreachable()
            }
        }
        try await idle(scheduler, clock, after: 1, of: "web")
        // Transient: the first retry 10 s later, not the interval's 600.
        await clock.advance(by: .seconds(10))
        try await eventually { await passes.count("web") == 1 }
    }

    /// A job still waiting when the scheduler stops is answered, not left hanging.
    @Test func jobsWaitingWhenTheSchedulerStopsAreCancelled() async throws {
        let (scheduler, clock, passes, task) = start([.init(name: "web", interval: .seconds(60))])
        await passes.hold("web")
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.started.count == 1 }
        let job = Task { try await scheduler.perform("web") { ("never", .settled) } }
        try await settle()
        task.cancel()
        await passes.release("web")
        await #expect(throws: CancellationError.self) { try await job.value }
    }

    @Test func concurrencyIsBounded() async throws {
        let names = ["a", "b", "c"]
        let (_, clock, passes, task) = start(names.map { .init(name: $0, interval: .seconds(60)) }, concurrency: 1)
        defer { task.cancel() }
        for name in names { await passes.hold(name) }
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.started.count == 1 }
        try await settle()
        #expect(await passes.started.count == 1)
        for name in names { await passes.release(name) }
        try await eventually { await passes.started.count == 3 }
        #expect(await passes.mostRunning == 1)
    }

    /// The application list is read again only when its version moves; an application added
    /// since is scheduled, and a trigger naming it before the read still runs it.
    @Test func theListIsReadAgainOnlyWhenItsVersionMoves() async throws {
        typealias Entry = Scheduler<TestClock<Duration>>.Entry
        let list = Mutex((version: 1, entries: [Entry(name: "web", interval: .seconds(60))], reads: 0))
        let clock = TestClock()
        let passes = Passes()
        let scheduler = Scheduler(
            clock: clock, applicationsVersion: { list.withLock { $0.version } },
            applications: {
                list.withLock {
                    $0.reads += 1
                    return $0.entries
                }
            }
        ) { name, reason in await passes.run(name, reason) }
        let task = Task { try await scheduler.run() }
        defer { task.cancel() }
        await clock.advance(by: .seconds(1))
        try await eventually { await passes.count("web") == 1 }
        await scheduler.trigger(["web"], reason: .webhook)
        try await eventually { await passes.count("web") == 2 }
        #expect(list.withLock { $0.reads } == 1)

        list.withLock {
            $0.version = 2
            $0.entries.append(Entry(name: "api", interval: .seconds(60)))
        }
        await scheduler.trigger(["api"], reason: .webhook)
        try await eventually { await passes.count("api") == 1 }
        #expect(await passes.started.last?.1 == .webhook)
        #expect(list.withLock { $0.reads } == 2)
    }
}
