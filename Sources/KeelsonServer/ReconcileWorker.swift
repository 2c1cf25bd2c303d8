import KeelsonCore
import KeelsonGit
import KeelsonManifests
import Logging

/// One scheduled pass over one application: runs the reconciler, logs what happened (app,
/// revision, duration, outcome; never secrets) and counts it in the metrics.
struct ReconcileWorker: Sendable {
    let reconciler: Reconciler
    let metrics: KeelsonMetrics
    let health: ResourceHealth
    let logger: Logger

    func run(_ name: String, reason: Scheduler<ContinuousClock>.Reason) async -> Scheduler<ContinuousClock>.Outcome {
        let started = ContinuousClock.now
        var logger = logger
        logger[metadataKey: "app"] = "\(name)"
        logger[metadataKey: "trigger"] = "\(reason.rawValue)"
        let result: String
        let outcome: Scheduler<ContinuousClock>.Outcome
        var lockWait = Duration.zero
        do {
            let report = try await reconciler.reconcile(name)
            health.recovered()
            lockWait = report.lockWait
            record(report)
            result = report.notes.contains { $0.hasPrefix("suspended") } ? "skipped" : Self.result(report.status)
            let progressing = report.entries.contains { $0.outcome == .running } || report.status.health == .progressing
            outcome = .succeeded(progressing: progressing)
            logger[metadataKey: "revision"] = "\(report.desired.map { $0.changedIn.id.short } ?? "-")"
            logger[metadataKey: "duration_ms"] = "\((ContinuousClock.now - started).milliseconds)"
            logger[metadataKey: "outcome"] = "\(result)"
            let changes = report.entries.filter { report.startedIDs.contains($0.id) }.flatMap(\.changes)
            logger.info(
                "reconciled: \(report.status.sync.rawValue), \(report.status.health.rawValue)",
                metadata: changes.isEmpty ? nil : ["changes": "\(changes.joined(separator: ", "))"])
        } catch ReconcileError.renderFailed(_, let commit, let failure) {
            result = "refused"
            outcome = .failed
            logger.warning(
                "manifests at \(commit.prefix(7)) refused; nothing applied",
                metadata: ["errors": "\(failure.errors.map(\.description).joined(separator: "; "))"])
        } catch ReconcileError.locked(_, let holder) {
            lockWait = ContinuousClock.now - started
            result = "busy"
            outcome = .succeeded(progressing: true)
            logger.notice("held by another keelson (\(holder)); trying again soon")
        } catch TargetError.busy(let reason) {
            result = "busy"
            outcome = .succeeded(progressing: true)
            logger.notice("the target is busy (\(reason)); the deployment stays pending, trying again soon")
        } catch {
            result = "error"
            outcome = .failed
            if let cause = ResourceExhaustion.cause(of: error, home: reconciler.home) {
                health.ranOut(cause)
                logger.error("\(cause.rawValue) ran out; trying again soon: \(error)")
            } else if error is GitError {
                logger.error("git: \(error)")
            } else {
                logger.error("\(error)")
            }
        }
        metrics.reconciled(name, result: result, duration: ContinuousClock.now - started, lockWait: lockWait)
        return outcome
    }

    private func record(_ report: ReconcileReport) {
        if let fetch = report.fetch { metrics.gitFetched(in: fetch.duration) }
        metrics.deployed(report, rollbackReason: "failed-rollout")
        metrics.observed(report.application, report.status)
    }

    private static func result(_ status: ApplicationStatus) -> String {
        switch status.sync {
        case .synced: "synced"
        case .outOfSync: "out-of-sync"
        case .unknown: "unknown"
        }
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
