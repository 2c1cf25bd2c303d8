import Foundation
import KeelsonGit
import KeelsonKubernetes
import KeelsonManifests

extension Reconciler {
    /// Follows the live entry's rollouts (when asked to wait), then records how they stand: a
    /// finished entry gets its outcome; a failed one is rolled back to the last successful
    /// revision when auto-rollback is on, and the application is pinned there so the failed commit
    /// is not retried.
    func settle(_ app: Application, driver: any TargetDriver, options: Options, _ pass: inout ReconcilePass)
        async throws
    {
        guard var entry = try currentEntry(app.name, pass), entry.outcome == .running else { return }
        let keys = entry.rollouts.map(\.deployment)
        if let wait = options.wait, !keys.isEmpty {
            let progress = options.progress
            _ = try await driver.followRollouts(keys, limit: wait) { statuses in
                progress?(statuses)
                return keys.allSatisfy { statuses[$0].map(RolloutVerdict.isSettled) ?? true }
            }
        }
        var statuses: [ObjectKey: RolloutStatus] = [:]
        for object in try await driver.liveObjects(of: app.name) { statuses[object.key] = object.rollout }
        let failures = keys.compactMap { key -> String? in
            guard let status = statuses[key] else { return "\(key.name): no longer exists" }
            return RolloutVerdict.failure(status).map { "\(key.name): \($0)" }
        }
        let finished = !failures.isEmpty || keys.allSatisfy { statuses[$0]?.phase == .complete }
        if finished {
            // The controller numbers a new template on its next sync, so revisions are read when rollouts end.
            entry.rollouts = entry.rollouts.map {
                HistoryEntry.Rollout(deployment: $0.deployment, revision: statuses[$0.deployment]?.revision)
            }
        }
        if !failures.isEmpty {
            entry.outcome = .failed
            entry.finishedAt = now()
            entry.message = "rollout failed: " + failures.joined(separator: "; ")
            pass.put(entry)
            if app.syncPolicy.autoRollback, entry.initiator != .rollback, entry.initiator != .autoRollback {
                try await rollBackAutomatically(app, failed: entry, driver: driver, options: options, &pass)
            }
        } else if finished {
            entry.outcome = .succeeded
            entry.finishedAt = now()
            pass.put(entry)
        }
    }

    /// Re-applies the newest successful entry's desired state after `failed`'s rollout failed.
    private func rollBackAutomatically(
        _ app: Application, failed: HistoryEntry, driver: any TargetDriver, options: Options,
        _ pass: inout ReconcilePass
    ) async throws {
        var failed = failed
        let good = try (pass.entries + store.history(of: app.name)).first {
            $0.outcome == .succeeded && $0.revision != failed.revision && $0.id < failed.id
        }
        guard let good, let commit = ObjectID(hex: good.revision) else {
            failed.message += "; no earlier successful deployment to roll back to"
            pass.put(failed)
            return
        }
        let mirror = try await loader.mirrors.mirror(for: try RemoteURL(app.repository))
        let desired = try await render(app, mirror: mirror, commit: commit, path: good.path)
        let comparison = LiveComparison(
            desired: desired.manifests.objects, live: try await driver.liveObjects(of: app.name),
            namespace: app.destination.namespace)
        let plan = SyncPlan(comparison, heal: true, prune: app.syncPolicy.prune, allowEmpty: false)
        pass.pinAfterDeploy = (reason: "auto-rollback", branchCommit: pass.status.branchCommit ?? failed.revision)
        failed.message += "; rolled back to \(good.revision.prefix(7)) (#\(good.id))"
        pass.put(failed)
        try await deploy(
            app, desired, plan: plan, initiator: .autoRollback, driver: driver,
            message: "rollout of #\(failed.id) (\(failed.revision.prefix(7))) failed; back to #\(good.id)", &pass)
        failed.message += " by #\(pass.status.currentHistoryID ?? 0)"
        pass.put(failed)
        pass.notes.append("rollout of \(failed.revision.prefix(7)) failed: rolled back to \(good.revision.prefix(7))")
        try await settle(app, driver: driver, options: options, &pass)
    }
}
