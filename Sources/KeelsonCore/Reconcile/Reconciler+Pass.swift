import Foundation
import KeelsonGit
import KeelsonManifests

extension Reconciler {
    /// A fetch of one repository and revision.
    typealias Fetched = (mirror: GitMirror, result: FetchResult, duration: Duration)

    /// What one pass over many applications reads once and shares: the records and one read of
    /// live state per target, read before any of its reconciles starts and only read after. Its
    /// fetches, one per repository and revision, are the Reconciler's own state
    /// (``passFetches``), so the compiler checks who changes them.
    struct PassMemo: Sendable {
        let id = UUID()
        var applications: [String: Application] = [:]
        var statuses: [String: ApplicationStatus] = [:]
        var live: [String: [LiveObject]] = [:]
    }

    /// One pass over `names`, as `keelson reconcile` and the benchmarks run it: each repository
    /// is asked once where its branch points, live state is read once, and applications whose
    /// branch, render and live state are what their status already says are settled without
    /// rendering, locking or writing; the others get a full reconcile each.
    ///
    /// - Parameter concurrency: how many applications are reconciled at once (as the daemon
    ///   does): while one waits for its commit to reach the disk, another renders.
    /// - Returns: each application's outcome, in the order of `names`.
    public func reconcileAll(_ names: [String], options: Options = Options(), concurrency: Int = 4)
        async -> [(name: String, result: Result<ReconcileReport, any Error>)]
    {
        let memo: PassMemo
        do {
            memo = try await readOnce(for: names)
        } catch {
            return names.map { ($0, .failure(error)) }
        }
        defer { passFetches[memo.id] = nil }
        // Settled applications are found first, one after the other: the check reads only what
        // the pass already holds, so a task each would cost more than the check.
        var finished: [Outcome] = []
        var pending: [(index: Int, name: String)] = []
        for (index, name) in names.enumerated() {
            do {
                if let report = try await upToDate(name, options: options, memo: memo) {
                    finished.append(Outcome(index: index, result: .success(report)))
                } else {
                    pending.append((index, name))
                }
            } catch {
                finished.append(Outcome(index: index, result: .failure(error)))
            }
        }
        let width = max(concurrency, 1)
        finished += await withTaskGroup(of: Outcome.self) { group in
            var finished: [Outcome] = []
            for (started, (index, name)) in pending.enumerated() {
                if started >= width, let done = await group.next() { finished.append(done) }
                group.addTask {
                    do {
                        let report = try await self.reconcileFully(name, options: options, memo: memo)
                        return Outcome(index: index, result: .success(report))
                    } catch {
                        return Outcome(index: index, result: .failure(error))
                    }
                }
            }
            for await done in group { finished.append(done) }
            return finished
        }
        return finished.sorted { $0.index < $1.index }.map { (names[$0.index], $0.result) }
    }

    /// The records of `names` and their live state, read once for a pass over all of them.
    private func readOnce(for names: [String]) async throws -> PassMemo {
        var memo = PassMemo()
        let wanted = Set(names)
        for application in try store.applications() where wanted.contains(application.name) {
            memo.applications[application.name] = application
        }
        memo.statuses = try store.statuses()
        var byDestination: [Application.Destination: [String]] = [:]
        for application in memo.applications.values {
            byDestination[application.destination, default: []].append(application.name)
        }
        for (destination, applications) in byDestination {
            let objects = try await driverFor(destination).liveObjects(of: applications)
            for application in applications { memo.live[application] = objects[application] ?? [] }
        }
        return memo
    }

    /// How one application of a pass ended, and its place among the names asked.
    ///
    /// A struct, not a tuple: in release builds of Swift 6.3.1 a task group of
    /// `(Int, Result<ReconcileReport, any Error>)` handed back garbage indices.
    struct Outcome: Sendable {
        let index: Int
        let result: Result<ReconcileReport, any Error>
    }

    /// The fetch of `application`'s tracked revision, once per pass for each repository and revision.
    func fetch(_ application: Application, memo: PassMemo?) async throws -> Fetched {
        // Keyed by the repository as written: parsing it for every application cost more than the
        // rare second fetch of one repository spelled two ways.
        guard let memo else { return try await fetchNow(application) }
        let key = "\(application.repository)@\(application.revision)"
        if let fetching = passFetches[memo.id]?[key] { return try await fetching.value }
        let fetching = Task { try await self.fetchNow(application) }
        passFetches[memo.id, default: [:]][key] = fetching
        return try await fetching.value
    }

    private func fetchNow(_ application: Application) async throws -> Fetched {
        let mirror = try await loader.mirrors.mirror(for: try RemoteURL(application.repository))
        let started = ContinuousClock.now
        let result = try await mirror.fetch(application.revision, options: network)
        return (mirror, result, ContinuousClock.now - started)
    }

    /// A report when a scheduled pass would change nothing and write nothing: the branch has not
    /// moved, the last render is of the applied commit, no rollout is being followed, and live
    /// state gives exactly the recorded per-object status. Nil when a full pass is needed.
    func upToDate(_ name: String, options: Options, memo: PassMemo?) async throws -> ReconcileReport? {
        guard options.initiator == .auto, !options.dryRun, options.revision == nil, options.wait == nil else {
            return nil
        }
        let application = try memo?.applications[name] ?? store.application(name)
        let status = try memo.map { $0.statuses[name] ?? ApplicationStatus() } ?? store.status(of: name)
        guard !status.suspended, status.currentOutcome != .running, status.sync != .unknown,
            let applied = status.appliedCommit, let cached = rendered[name], cached.path == application.path,
            cached.commit.id.hex == applied
        else { return nil }
        guard let fetched = try? await fetch(application, memo: memo), fetched.result.commit.hex == status.branchCommit
        else { return nil }
        let driver = try driverFor(application.destination)
        let live: [LiveObject]
        if let memoized = memo?.live[name] {
            live = memoized
        } else {
            live = try await driver.liveObjects(of: name)
        }
        let comparison = LiveComparison(
            desired: cached.manifests.objects, live: live, namespace: application.destination.namespace)
        let plan = SyncPlan(
            comparison, heal: application.syncPolicy.selfHeal, prune: application.syncPolicy.prune, allowEmpty: false)
        let resources = comparison.entries.map(Self.resourceStatus)
        let health = HealthStatus.worst(resources.map { $0.health })
        guard plan.isEmpty, resources == status.resources, health == status.health
        else { return nil }
        var pass = ReconcilePass(status: status)
        pass.recording = false
        pass.fetch = (fetched.result, fetched.duration)
        pass.desired = cached
        pass.comparison = comparison
        pass.plan = plan
        pass.notes.append("up to date: nothing rendered, nothing written")
        return pass.report(name)
    }
}
