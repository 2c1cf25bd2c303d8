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

    func run(_ name: String, reason: Scheduler<ContinuousClock>.Reason) async -> ReconcileOutcome {
        let started = ContinuousClock.now
        var logger = logger
        logger[metadataKey: "app"] = "\(name)"
        logger[metadataKey: "trigger"] = "\(reason.rawValue)"
        let result: String
        let outcome: ReconcileOutcome
        var lockWait = Duration.zero
        do {
            let report = try await reconciler.reconcile(name)
            health.recovered()
            lockWait = report.lockWait
            record(report)
            outcome = report.outcome
            result = outcome == .suspended ? "skipped" : Self.result(report.status)
            logger[metadataKey: "revision"] = "\(report.desired.map { $0.changedIn.id.short } ?? "-")"
            logger[metadataKey: "duration_ms"] = "\((ContinuousClock.now - started).milliseconds)"
            logger[metadataKey: "outcome"] = "\(result)"
            let changes = report.entries.filter { report.startedIDs.contains($0.id) }.flatMap(\.changes)
            logger.info(
                "reconciled: \(report.status.sync.rawValue), \(report.status.health.rawValue)",
                metadata: changes.isEmpty ? nil : ["changes": "\(changes.joined(separator: ", "))"])
        } catch {
            outcome = ReconcileOutcome(error: error)
            switch error {
            case ReconcileError.renderFailed(_, let commit, let failure):
                result = "refused"
                logger.warning(
                    "manifests at \(commit.prefix(7)) refused; nothing applied",
                    metadata: ["errors": "\(failure.errors.map(\.description).joined(separator: "; "))"])
            case ReconcileError.locked(_, let holder):
                lockWait = ContinuousClock.now - started
                result = "busy"
                logger.notice("held by another keelson (\(holder)); trying again soon")
            case TargetError.busy(let reason):
                result = "busy"
                logger.notice("the target is busy (\(reason)); the deployment stays pending, trying again soon")
            default:
                result = "error"
                if let cause = ResourceExhaustion.cause(of: error, home: reconciler.home) {
                    health.ranOut(cause)
                    logger.error("\(cause.rawValue) ran out; trying again soon: \(error)")
                } else if error is GitError {
                    logger.error("git: \(error)")
                } else {
                    logger.error("\(error)")
                }
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
