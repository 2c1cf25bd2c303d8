import Foundation
import KeelsonGit
import KeelsonKubernetes
import KeelsonManifests

/// Makes applications run what git says, one level-based, idempotent pass at a time:
/// fetch → resolve → render (cached) → compare with live → plan → apply → follow the rollouts →
/// record history → set sync and health status; and rolls back, by hand or when a rollout fails.
///
/// Every pass holds the application's ``ApplicationLock``; every record is written to
/// ``ApplicationStore`` in one transaction with the status it explains.
public actor Reconciler {
    /// Who Keelson is to the target (`managedFields`' manager) and in the commits it writes.
    public struct Identity: Sendable {
        public var fieldManager = "keelson"
        public var authorName = "Keelson"
        public var authorEmail = "keelson@localhost"

        public init() {}
    }

    /// How one pass runs.
    public struct Options: Sendable {
        /// `auto` for reconciles (scheduled, webhook, `keelson reconcile`), `manual` for `keelson sync`.
        public var initiator: HistoryEntry.Initiator = .auto
        /// Sync this branch, tag or SHA instead of the tracked revision; pins the application there.
        public var revision: String?
        /// Work out and return the plan, change nothing.
        public var dryRun = false
        /// Follow the rollouts until they complete or fail, up to this long.
        public var wait: Duration?
        /// Prune even when git renders no objects at all.
        public var allowEmpty = false
        /// Called with the Deployments' statuses while following rollouts.
        public var progress: (@Sendable ([ObjectKey: RolloutStatus]) -> Void)?

        public init() {}
    }

    public nonisolated let home: String
    public nonisolated let store: ApplicationStore
    public nonisolated let loader: DesiredStateLoader
    public nonisolated let identity: Identity
    let network: NetworkOptions
    let driverFor: @Sendable (Application.Destination) throws -> any TargetDriver
    let now: @Sendable () -> Date
    /// The last desired state rendered per application, reused while its path is unchanged in git.
    var rendered: [String: DesiredState] = [:]
    /// The fetches each ``reconcileAll(_:options:concurrency:)`` under way started, by pass, so
    /// that reconciles running at once wait for one fetch instead of each making its own.
    var passFetches: [UUID: [String: Task<Fetched, any Error>]] = [:]

    /// - Parameters:
    ///   - home: Keelson's state folder (mirrors, locks).
    ///   - drivers: The target driver for a destination.
    ///   - network: Credentials and time limits for fetches and pushes.
    public init(
        home: String, store: ApplicationStore, identity: Identity = Identity(),
        network: NetworkOptions = NetworkOptions(),
        now: @escaping @Sendable () -> Date = { Date() },
        drivers: @escaping @Sendable (Application.Destination) throws -> any TargetDriver
    ) {
        self.home = home
        self.store = store
        self.loader = DesiredStateLoader(stateFolder: home)
        self.identity = identity
        self.network = network
        self.now = now
        self.driverFor = drivers
    }

    // MARK: Reconcile and sync

    /// One pass over one application. A dry run takes no lock and records nothing.
    ///
    /// - Throws: ``ReconcileError/renderFailed(_:commit:_:)`` when the manifests are invalid (nothing is applied;
    ///   status and history say why), `GitError` when git cannot be reached, `TargetError` when the target refuses.
    public func reconcile(_ name: String, options: Options = Options()) async throws -> ReconcileReport {
        if let report = try await upToDate(name, options: options, memo: nil) { return report }
        return try await reconcileFully(name, options: options, memo: nil)
    }

    /// One pass that renders, compares and records, even when nothing changed; sharing what
    /// `memo` already read when it is part of ``reconcileAll(_:options:concurrency:)``.
    func reconcileFully(_ name: String, options: Options, memo: PassMemo?) async throws -> ReconcileReport {
        let asked = ContinuousClock.now
        let lock = options.dryRun ? nil : try await ApplicationLock.acquire(name, home: home)
        defer { withExtendedLifetime(lock) {} }
        let app = try store.application(name)
        var pass = ReconcilePass(status: try store.status(of: name))
        pass.lockWait = ContinuousClock.now - asked
        pass.recording = !options.dryRun
        if pass.recording { try adoptInterrupted(name, &pass) }
        if pass.status.suspended && options.initiator == .auto {
            pass.notes.append("suspended: skipped (keelson resume \(name) to go on)")
            pass.skippedAsSuspended = true
            return pass.report(name)
        }
        let driver = try driverFor(app.destination)
        let (mirror, head) = try await fetchBranch(app, memo: memo, &pass)
        let target = try await chooseTarget(app, mirror: mirror, head: head, options: options, &pass)
        let desired = try await renderRecording(
            app, mirror: mirror, commit: target, initiator: options.initiator,
            allowEmpty: options.allowEmpty || app.syncPolicy.allowEmpty, &pass)
        let comparison = LiveComparison(
            desired: desired.manifests.objects, live: try await driver.liveObjects(of: name),
            namespace: app.destination.namespace)
        let plan = SyncPlan(
            comparison, heal: app.syncPolicy.selfHeal || options.initiator != .auto, prune: app.syncPolicy.prune,
            allowEmpty: options.allowEmpty)
        pass.desired = desired
        pass.comparison = comparison
        pass.plan = plan
        if options.dryRun { return pass.report(name) }
        if options.revision != nil, target != head {
            pass.pinAfterDeploy = (reason: "sync --revision", branchCommit: head.hex)
        }
        let appliesNow = app.syncPolicy.automated || options.initiator != .auto
        if appliesNow, !plan.isEmpty {
            try await deploy(app, desired, plan: plan, initiator: options.initiator, driver: driver, &pass)
        } else if comparison.entries.allSatisfy({ $0.state != .changed && $0.state != .missing }) {
            // Git's content at this commit is what runs (the commit changed other paths, or only drift is left).
            pass.status.appliedCommit = target.hex
            if let (reason, branchCommit) = pass.pinAfterDeploy {
                pass.status.pin = Pin(
                    commit: target.hex, historyID: pass.status.currentHistoryID ?? 0, reason: reason,
                    branchCommit: branchCommit, since: now())
            }
        } else if !appliesNow {
            pass.notes.append("not applied: automated sync is off (keelson sync \(name))")
        }
        try await settle(app, driver: driver, options: options, &pass)
        try await describe(app, driver: driver, appliesNow: appliesNow, pruneRefusal: plan.pruneRefusal, &pass)
        try save(name, &pass)
        return pass.report(name)
    }

    /// What a sync of `revision` (default: where the tracked revision points) would change, without
    /// changing anything or taking the lock; with the commit that last changed the application.
    public func compare(_ name: String, revision: String? = nil) async throws -> (Commit, LiveComparison) {
        let app = try store.application(name)
        let driver = try driverFor(app.destination)
        let mirror = try await loader.mirrors.mirror(for: try RemoteURL(app.repository))
        let commit = try await mirror.fetch(revision ?? app.revision, options: network).commit
        let desired = try await render(app, mirror: mirror, commit: commit)
        let live = try await driver.liveObjects(of: name)
        let comparison = LiveComparison(
            desired: desired.manifests.objects, live: live, namespace: app.destination.namespace)
        return (desired.changedIn, comparison)
    }

    /// Stops scheduled reconciles of the application until ``resume(_:)``.
    public func suspend(_ name: String) async throws {
        try await changeStatus(name) { $0.suspended = true }
    }

    /// Lets scheduled reconciles go on, and releases a rollback's pin: the next reconcile applies
    /// where the tracked revision points.
    ///
    /// - Returns: the pin released, if there was one.
    @discardableResult
    public func resume(_ name: String) async throws -> Pin? {
        var released: Pin?
        try await changeStatus(name) { status in
            released = status.pin
            status.suspended = false
            status.pin = nil
        }
        return released
    }

    private func changeStatus(_ name: String, _ change: (inout ApplicationStatus) -> Void) async throws {
        let lock = try await ApplicationLock.acquire(name, home: home)
        defer { withExtendedLifetime(lock) {} }
        _ = try store.application(name)
        var status = try store.status(of: name)
        change(&status)
        try store.record(name, status: status)
    }

    // MARK: Steps

    /// Fetches the tracked revision; on failure records it in the status and rethrows.
    func fetchBranch(_ app: Application, memo: PassMemo?, _ pass: inout ReconcilePass) async throws
        -> (GitMirror, ObjectID)
    {
        do {
            let fetched = try await fetch(app, memo: memo)
            pass.fetch = (fetched.result, fetched.duration)
            pass.status.branchCommit = fetched.result.commit.hex
            return (fetched.mirror, fetched.result.commit)
        } catch {
            try recordFetchError(
                error, "cannot fetch \(app.revision) of \(app.repository); live state unchanged", app, &pass)
            throw error
        }
    }

    /// Records in the status that git could not be fetched or read (no history entry: nothing was
    /// deployed, and nothing is wrong with the manifests); the next pass tries again.
    private func recordFetchError(
        _ error: any Error, _ message: String, _ app: Application, _ pass: inout ReconcilePass
    )
        throws
    {
        pass.status.sync = .unknown
        pass.status.message = message
        pass.status.conditions = [StatusCondition(type: "FetchError", message: "\(error)")]
        try save(app.name, &pass)
    }

    /// The commit to sync: a requested revision, else the pin while it holds, else the branch.
    private func chooseTarget(
        _ app: Application, mirror: GitMirror, head: ObjectID, options: Options, _ pass: inout ReconcilePass
    ) async throws -> ObjectID {
        if let revision = options.revision {
            if let pin = pass.status.pin {
                pass.status.pin = nil
                pass.notes.append("sync --revision replaces the pin on \(pin.commit.prefix(7)) (\(pin.reason))")
            }
            return try await mirror.fetch(revision, options: network).commit
        }
        guard let pin = pass.status.pin, let pinned = ObjectID(hex: pin.commit) else { return head }
        if options.initiator == .manual {
            if !options.dryRun { pass.status.pin = nil }
            pass.notes.append("sync releases the pin on \(pin.commit.prefix(7)) (\(pin.reason))")
            return head
        }
        if try await hasNewCommit(app, mirror: mirror, since: pin.branchCommit, head: head) {
            pass.status.pin = nil
            pass.notes.append(
                "new commit \(head.short) for \(app.path): the pin on \(pin.commit.prefix(7)) (\(pin.reason)) is released"
            )
            return head
        }
        return pinned
    }

    /// Whether anything the application's render reads (its path, kustomize bases, generator
    /// files) changed on the branch since `old` (a force-push that lost `old` counts as a change).
    private func hasNewCommit(_ app: Application, mirror: GitMirror, since old: String, head: ObjectID) async throws
        -> Bool
    {
        guard let old = ObjectID(hex: old), old != head else { return false }
        let sources = rendered[app.name]?.manifests.sources ?? (try? store.status(of: app.name).sources) ?? nil
        return await Self.changed(sources ?? [app.path], in: mirror, from: old, to: head)
    }

    /// Whether any of `sources` differs between two commits; true when that cannot be told.
    static func changed(_ sources: [String], in mirror: GitMirror, from old: ObjectID, to new: ObjectID) async -> Bool {
        guard old != new else { return false }
        for source in sources {
            guard let changes = try? await mirror.changedPaths(from: old, to: new, under: source) else { return true }
            if !changes.isEmpty { return true }
        }
        return false
    }

    /// Renders `commit`, reusing the last render when nothing it read changed.
    func render(_ app: Application, mirror: GitMirror, commit: ObjectID, path: String? = nil) async throws
        -> DesiredState
    {
        let path = path ?? app.path
        if let cached = rendered[app.name], cached.path == path {
            let previous = cached.commit.id
            if previous == commit { return cached }
            if await !Self.changed(cached.manifests.sources, in: mirror, from: previous, to: commit) {
                return DesiredState(
                    commit: try await mirror.commit(commit), changedIn: cached.changedIn, path: path,
                    manifests: cached.manifests)
            }
        }
        let desired = try await loader.render(mirror, commit: commit, path: path)
        rendered[app.name] = desired
        return desired
    }

    /// Renders `commit`; when the manifests are invalid, or render no objects unless `allowEmpty`,
    /// records a failed entry (once per distinct broken state: an unrelated commit that leaves the
    /// same errors adds none) and the error in the status, applies nothing, and throws.
    private func renderRecording(
        _ app: Application, mirror: GitMirror, commit: ObjectID, initiator: HistoryEntry.Initiator,
        allowEmpty: Bool, _ pass: inout ReconcilePass
    ) async throws -> DesiredState {
        do {
            let desired = try await render(app, mirror: mirror, commit: commit)
            if desired.manifests.objects.isEmpty, !allowEmpty {
                throw RenderFailure(
                    errors: [try await nothingRendered(app, mirror: mirror, commit: commit)],
                    warnings: desired.manifests.warnings)
            }
            return desired
        } catch {
            if ResourceExhaustion.cause(of: error, home: home) != nil {
                try recordFetchError(
                    error, "cannot read \(commit.short) from the mirror; nothing applied, live state unchanged", app,
                    &pass)
                throw error
            }
            let failure = error as? RenderFailure
            try await recordRenderFailure(
                app, problems: failure?.errors.map(\.description) ?? ["\(error)"], commit: commit, mirror: mirror,
                initiator: initiator, &pass)
            guard let failure else { throw error }
            throw ReconcileError.renderFailed(app.name, commit: commit.hex, failure)
        }
    }

    /// Records manifests that cannot be rendered: a failed entry (unless the last one says the
    /// same) and the errors in the status.
    private func recordRenderFailure(
        _ app: Application, problems: [String], commit: ObjectID, mirror: GitMirror,
        initiator: HistoryEntry.Initiator, _ pass: inout ReconcilePass
    ) async throws {
        let metadata = try await mirror.commit(commit)
        let message = problems.joined(separator: "\n")
        let last = try store.history(of: app.name, limit: 1).first
        if last?.outcome != .failed || last?.path != app.path || last?.message != message {
            pass.entries.append(
                HistoryEntry(
                    revision: commit.hex, subject: metadata.subject, author: metadata.author.name, path: app.path,
                    startedAt: now(), finishedAt: now(), initiator: initiator, outcome: .failed, message: message))
        }
        pass.status.sync = .unknown
        pass.status.message =
            "\(commit.short) \"\(metadata.subject)\" cannot be rendered (\(Plural.count(problems.count, "error"))); "
            + "nothing applied, live state unchanged"
        pass.status.conditions = problems.map { StatusCondition(type: "RenderError", message: $0) }
        try save(app.name, &pass)
    }

    /// The error for a path that renders no objects, naming what it holds that was skipped.
    private func nothingRendered(_ app: Application, mirror: GitMirror, commit: ObjectID) async throws
        -> ManifestError
    {
        let files = (try? await mirror.files(under: app.path, at: commit)) ?? []
        let skipped = files.prefix(20).compactMap { file in
            ManifestRenderer.whySkipped(file.path, below: app.path).map { "\(file.path) (\($0))" }
        }
        let found =
            files.isEmpty ? "the path is empty or not in the commit" : "skipped: " + skipped.joined(separator: ", ")
        return ManifestError(
            location: SourceLocation(file: app.path, line: nil), field: "",
            message: "renders no objects (\(found)); nothing applied, nothing pruned. If the application is "
                + "meant to be empty: keelson app set \(app.name) --allow-empty",
            category: .missing)
    }

    /// Applies `plan` under a Running history entry. The entry, the status naming it as current
    /// and the pin a rollback sets are written in one transaction before anything changes, so a
    /// crash at any point leaves a status that says what was being applied: the next pass finds
    /// the entry Running and follows it, or, when the apply did not finish, applies it again under
    /// the same entry. A failed apply changes nothing live and puts the status back.
    func deploy(
        _ app: Application, _ desired: DesiredState, plan: SyncPlan, initiator: HistoryEntry.Initiator,
        driver: any TargetDriver, message: String = "", _ pass: inout ReconcilePass
    ) async throws {
        let namespace = app.destination.namespace
        let rollouts = plan.apply.filter { $0.deployment != nil }.map {
            HistoryEntry.Rollout(deployment: LiveComparison.targetKey($0, namespace: namespace), revision: nil)
        }
        let current = try currentEntry(app.name, pass)
        var entry: HistoryEntry
        if var unfinished = current, unfinished.outcome == .running, unfinished.revision == desired.changedIn.id.hex,
            unfinished.path == desired.path
        {
            // Keelson stopped (or the target refused) before this entry's apply was done.
            let known = Set(unfinished.rollouts.map(\.deployment))
            unfinished.rollouts += rollouts.filter { !known.contains($0.deployment) }
            entry = unfinished
            pass.startedIDs.insert(entry.id)
            pass.notes.append("#\(entry.id) was not completely applied: applying it again")
        } else {
            entry = HistoryEntry(
                id: try store.nextHistoryID(of: app.name), revision: desired.changedIn.id.hex,
                subject: desired.changedIn.subject, author: desired.changedIn.author.name, path: desired.path,
                startedAt: now(), initiator: initiator, rollouts: rollouts, message: message)
            pass.startedIDs.insert(entry.id)
            if var superseded = current, superseded.outcome == .running {
                superseded.outcome = initiator == .rollback || initiator == .autoRollback ? .rolledBack : .failed
                superseded.finishedAt = now()
                superseded.message = "replaced by #\(entry.id) before its rollouts completed"
                superseded.supersededBy = entry.id
                pass.put(superseded)
            }
        }
        let before = pass.status
        pass.put(entry)
        pass.desired = desired
        pass.status.currentHistoryID = entry.id
        pass.status.sync = .outOfSync
        pass.status.health = .progressing
        pass.status.message = "applying \(desired.changedIn.id.short) \"\(desired.changedIn.subject)\" (#\(entry.id))"
        if let (reason, branchCommit) = pass.pinAfterDeploy {
            pass.status.pin = Pin(
                commit: desired.commit.id.hex, historyID: entry.id, reason: reason, branchCommit: branchCommit,
                since: now())
        }
        try save(app.name, &pass)
        do {
            let applied = try await driver.apply(
                plan.apply, for: app.name, namespace: namespace, fieldManager: identity.fieldManager)
            try await driver.delete(plan.prune, for: app.name)
            pass.applied += applied
            pass.pruned += plan.prune
            entry.changes =
                applied.filter { $0.change != .unchanged }.map(\.description)
                + plan.prune.map {
                    "\($0.kind.lowercased())\($0.group.isEmpty ? "" : "." + $0.group)/\($0.name) pruned"
                }
        } catch TargetError.busy(let reason) {
            // A wait for the target is no failed deployment: the entry stays Running, named by the
            // status, and the next pass applies it.
            pass.status.message = "applying \(desired.changedIn.id.short) waits for the target: \(reason)"
            pass.status.conditions = [StatusCondition(type: "TargetBusy", message: reason)]
            try save(app.name, &pass)
            throw TargetError.busy(reason)
        } catch {
            entry.outcome = .failed
            entry.finishedAt = now()
            entry.message = "not applied: \(error)"
            pass.put(entry)
            // What was live stays live, and so does the entry that applied it.
            if let current, current.id != entry.id { pass.put(current) }
            pass.status = before
            pass.status.conditions = [StatusCondition(type: "ApplyError", message: "\(error)")]
            pass.status.message = "applying \(desired.commit.id.short) failed; live state unchanged"
            try save(app.name, &pass)
            throw error
        }
        pass.put(entry)
        pass.status.appliedCommit = desired.commit.id.hex
    }

    /// Running entries the status does not name, left by a pass that stopped before it wrote the
    /// status naming them (stores written by builds that saved the two apart): the newest, when
    /// newer than the current entry, becomes current, to be followed or applied again; the others
    /// are closed as Failed.
    func adoptInterrupted(_ name: String, _ pass: inout ReconcilePass) throws {
        let orphans = try store.runningEntries(of: name).filter { $0.id != pass.status.currentHistoryID }
        for var orphan in orphans {
            if orphan.id == orphans.first?.id, orphan.id > pass.status.currentHistoryID ?? 0 {
                pass.status.currentHistoryID = orphan.id
                pass.status.currentOutcome = .running
                pass.notes.append("#\(orphan.id) was left Running by a pass that stopped: following it")
                continue
            }
            orphan.outcome = .failed
            orphan.finishedAt = now()
            orphan.message = "interrupted: Keelson stopped before this deployment was recorded as live"
            pass.put(orphan)
        }
    }

    /// The entry whose desired state is live, as this pass last wrote or read it.
    func currentEntry(_ name: String, _ pass: ReconcilePass) throws -> HistoryEntry? {
        guard let id = pass.status.currentHistoryID else { return nil }
        if let entry = pass.entries.last(where: { $0.id == id }) { return entry }
        return try store.historyEntry(of: name, id: id)
    }

    func save(_ name: String, _ pass: inout ReconcilePass) throws {
        guard pass.recording else { return }
        pass.status.reconciledAt = now()
        if pass.status.sync == .synced { pass.status.syncedAt = pass.status.reconciledAt }
        if let sources = pass.desired?.manifests.sources { pass.status.sources = sources }
        if let current = pass.entries.last(where: { $0.id == pass.status.currentHistoryID }) {
            pass.status.currentOutcome = current.outcome
        }
        pass.entries = try store.record(name, status: pass.status, history: pass.entries)
    }
}
