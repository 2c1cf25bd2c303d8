import Foundation
import KeelsonGit
import KeelsonKubernetes
import KeelsonManifests

extension Reconciler {
    /// How a forced rollback runs.
    public struct RollbackOptions: Sendable {
        /// The history entry to go back to; nil: the newest successful one that is not live.
        public var historyID: Int?
        /// Follow the rollouts until they complete or fail, up to this long.
        public var wait: Duration?
        /// Also commit the rollback to the tracked branch and push it, so no pin is needed.
        public var revertCommit = false
        /// Called with the Deployments' statuses while following rollouts.
        public var progress: (@Sendable ([ObjectKey: RolloutStatus]) -> Void)?
        /// `rollback` for a person, `auto-rollback` for Keelson acting on an alert.
        public var initiator: HistoryEntry.Initiator = .rollback
        /// Why, as the pin and the history say it: `rollback`, `alert HighErrorRate`, …
        public var reason = "rollback"

        public init() {}
    }

    /// Re-applies the desired state of a history entry and pins the application there: reconciles
    /// report OutOfSync but keep it, until a new commit for the application lands or it is resumed.
    /// With ``RollbackOptions/revertCommit`` the branch itself is moved back instead, and nothing is pinned.
    ///
    /// Works when git is unreachable (from the mirror), except with `revertCommit`.
    public func rollback(_ name: String, options: RollbackOptions = RollbackOptions()) async throws -> ReconcileReport {
        let asked = ContinuousClock.now
        let lock = try await ApplicationLock.acquire(name, home: home)
        defer { withExtendedLifetime(lock) {} }
        let app = try store.application(name)
        var pass = ReconcilePass(status: try store.status(of: name))
        pass.lockWait = ContinuousClock.now - asked
        try adoptInterrupted(name, &pass)
        let driver = try driverFor(app.destination)
        let mirror = try await loader.mirrors.mirror(for: try RemoteURL(app.repository))
        var branch: FetchResult?
        do {
            branch = try await mirror.fetch(app.revision, options: network)
            pass.status.branchCommit = branch?.commit.hex
        } catch {
            if options.revertCommit { throw error }
            pass.notes.append("git is unreachable (\(error)); rolling back from the mirror")
        }
        let target = try await rollbackTarget(app, historyID: options.historyID, status: pass.status, mirror: mirror)
        guard let commit = ObjectID(hex: target.revision) else { throw ReconcileError.nothingToRollBackTo(name) }
        var desired = try await render(app, mirror: mirror, commit: commit, path: target.path)
        if options.revertCommit {
            guard let branch, branch.kind == .branch else {
                throw ReconcileError.notABranch(name, revision: app.revision)
            }
            desired = try await pushRevert(app, to: target, desired: desired, mirror: mirror, &pass)
            pass.status.pin = nil
        } else {
            pass.pinAfterDeploy = (
                reason: options.reason, branchCommit: pass.status.branchCommit ?? target.revision
            )
        }
        if var current = try currentEntry(name, pass), current.id != target.id,
            current.outcome == .succeeded || current.outcome == .running
        {
            current.outcome = .rolledBack
            current.finishedAt = current.finishedAt ?? now()
            current.message =
                "rolled back to #\(target.id) (\(target.revision.prefix(7))) "
                + (options.reason == "rollback" ? "by keelson rollback" : "on \(options.reason)")
            pass.put(current)
        }
        let comparison = LiveComparison(
            desired: desired.manifests.objects, live: try await driver.liveObjects(of: name),
            namespace: app.destination.namespace)
        let plan = SyncPlan(comparison, heal: true, prune: app.syncPolicy.prune, allowEmpty: false)
        pass.comparison = comparison
        pass.plan = plan
        try await deploy(
            app, desired, plan: plan, initiator: options.initiator, driver: driver,
            message: "rollback to #\(target.id) (\(target.revision.prefix(7)))"
                + (options.reason == "rollback" ? "" : " on \(options.reason)"), &pass)
        var follow = Options()
        follow.wait = options.wait
        follow.progress = options.progress
        try await settle(app, driver: driver, options: follow, &pass)
        try await describe(app, driver: driver, appliesNow: true, pruneRefusal: plan.pruneRefusal, &pass)
        try save(name, &pass)
        return pass.report(name)
    }

    /// The entry named, or the newest successful one before the live entry whose content differs
    /// from what is live (so a rollback never re-applies what already runs): anything the live
    /// render or the candidate's read (the path, kustomize bases, generator files) changed between them.
    private func rollbackTarget(_ app: Application, historyID: Int?, status: ApplicationStatus, mirror: GitMirror)
        async throws -> HistoryEntry
    {
        let history = try store.history(of: app.name)
        if let historyID {
            guard let entry = history.first(where: { $0.id == historyID }) else {
                throw ReconcileError.historyEntryNotFound(app.name, id: historyID)
            }
            return entry
        }
        let current = history.first { $0.id == status.currentHistoryID }
        let liveSources = status.sources ?? [current?.path ?? app.path]
        for entry in history where entry.outcome == .succeeded && entry.id < (current?.id ?? Int.max) {
            guard let current, let live = ObjectID(hex: current.revision), let old = ObjectID(hex: entry.revision)
            else { return entry }
            if entry.path != current.path { return entry }
            let read = try await loader.render(mirror, commit: old, path: entry.path).manifests.sources
            if await Self.changed(Array(Set(liveSources + read)), in: mirror, from: old, to: live) { return entry }
        }
        throw ReconcileError.nothingToRollBackTo(app.name)
    }

    /// Commits every path the render of `target` or of what is live read (the application's path,
    /// its kustomize bases, generator files) as it was at `target` onto the branch, and pushes it;
    /// returns the desired state at the branch's new head. Refuses, committing nothing, when
    /// another application of the repository reads one of those paths: the revert would roll it
    /// back too.
    private func pushRevert(
        _ app: Application, to target: HistoryEntry, desired: DesiredState, mirror: GitMirror,
        _ pass: inout ReconcilePass
    ) async throws -> DesiredState {
        let source = desired.commit.id
        let paths = Array(Set(desired.manifests.sources + (pass.status.sources ?? []))).sorted()
        try refuseShared(paths, of: app)
        let message = """
            Roll back \(app.path) to \(source.short)

            keelson rollback \(app.name): \(paths.joined(separator: ", ")) as at \(source.hex)
            (history #\(target.id): \(target.subject)).
            """
        let author = Commit.Signature(name: identity.authorName, email: identity.authorEmail, date: now())
        let pushed = try await mirror.pushRestoring(
            paths, to: source, onBranch: app.revision, message: message, author: author, options: network)
        let head = try await mirror.fetch(app.revision, options: network).commit
        pass.status.branchCommit = head.hex
        let restored = paths.joined(separator: ", ")
        pass.notes.append(
            pushed.map { "pushed \($0.short) to \(app.revision): \(restored) as at \(source.short)" }
                ?? "\(app.revision) already has \(restored) as at \(source.short); nothing to commit")
        return try await render(app, mirror: mirror, commit: head)
    }

    /// Throws when another application of the same repository and branch reads one of `paths`
    /// (the same path, one inside it, or one it lies in).
    private func refuseShared(_ paths: [String], of app: Application) throws {
        let others = try store.applications().filter {
            $0.name != app.name && $0.repository == app.repository && $0.revision == app.revision
        }
        let sources = try store.sources()
        func overlaps(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b + "/") || b.hasPrefix(a + "/") }
        let shared = paths.compactMap { path -> (path: String, applications: [String])? in
            let readers = others.filter { other in
                (sources[other.name] ?? [other.path]).contains { overlaps($0, path) }
            }.map(\.name).sorted()
            return readers.isEmpty ? nil : (path, readers)
        }
        if !shared.isEmpty { throw ReconcileError.revertSharedPaths(app.name, shared: shared) }
    }
}
