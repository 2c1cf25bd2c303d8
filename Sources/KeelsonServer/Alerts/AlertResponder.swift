import Foundation
import KeelsonCore
import Logging
import ServiceLifecycle

/// Rolls applications back on Alertmanager's alerts: judges each notification with the
/// ``AlertRollbackPolicy``, keeps the alerts that fire (``FiringAlerts``), and judges those
/// again while they fire, so that a deployment that goes out under a firing alert and does not
/// stop it is rolled back without a new notification.
struct AlertResponder: Sendable {
    let policy: AlertRollbackPolicy
    let firing: FiringAlerts
    let reconciler: Reconciler
    let scheduler: Scheduler<ContinuousClock>
    let metrics: KeelsonMetrics
    let logger: Logger

    /// Keeps and judges one notification; one answer per decision, each logged and counted.
    ///
    /// - Throws: when the store cannot be read (the notification is kept, and judged again later).
    func receive(_ notification: AlertmanagerNotification) async throws -> [AlertAnswer] {
        firing.receive(notification, at: Date())
        return try await respond(to: notification, everyDecision: true)
    }

    /// Judges the kept alerts again; only rollbacks (and rollbacks that failed) are logged and counted.
    func reevaluate() async {
        let alerts = firing.firing(at: Date())
        guard !alerts.isEmpty else { return }
        do {
            _ = try await respond(to: AlertmanagerNotification(status: .firing, alerts: alerts), everyDecision: false)
        } catch {
            logger.error("firing alerts could not be judged again: \(error)")
        }
    }

    private func respond(to notification: AlertmanagerNotification, everyDecision: Bool) async throws
        -> [AlertAnswer]
    {
        let store = reconciler.store
        var applications: [String: AlertedApplication] = [:]
        for name in policy.applicationNames(in: notification) {
            // An application that is not there is the policy's to answer for.
            guard let application = try? store.application(name) else { continue }
            applications[name] = AlertedApplication(
                application: application, status: try store.status(of: name), history: try store.history(of: name))
        }
        var answers: [AlertAnswer] = []
        for decision in policy.decisions(for: notification, applications: applications, now: Date()) {
            switch decision {
            case .rollBack(let name, let reason):
                answers.append(await rollBack(name, reason: reason))
            case .ignore(let name, let reason) where everyDecision:
                metrics.alert(application: name, action: "ignored")
                logger.info("alert ignored: \(reason)", metadata: ["app": "\(name ?? "-")"])
                answers.append(AlertAnswer(application: name, action: "ignored", reason: reason))
            case .record(let name, let alertname) where everyDecision:
                metrics.alert(application: name, action: "resolved")
                logger.info("alert \(alertname) resolved", metadata: ["app": "\(name)"])
                answers.append(AlertAnswer(application: name, action: "resolved", reason: alertname))
            case .ignore, .record:
                break
            }
        }
        return answers
    }

    /// Rolls `name` back as a pass of the scheduler's, which then follows the rollback's rollout
    /// as it does a push's.
    private func rollBack(_ name: String, reason: String) async -> AlertAnswer {
        var options = Reconciler.RollbackOptions()
        options.initiator = .autoRollback
        options.reason = reason
        do {
            let report = try await scheduler.perform(name) { [options, reconciler] in
                let report = try await reconciler.rollback(name, options: options)
                return (report, report.outcome)
            }
            metrics.deployed(report, rollbackReason: "alert")
            metrics.alert(application: name, action: "rollback")
            logger.notice("rolled back on \(reason): \(report.status.message)", metadata: ["app": "\(name)"])
            return AlertAnswer(application: name, action: "rollback", reason: reason)
        } catch {
            metrics.alert(application: name, action: "failed")
            logger.error("rollback on \(reason) failed: \(error)", metadata: ["app": "\(name)"])
            return AlertAnswer(application: name, action: "failed", reason: "\(error)")
        }
    }
}

/// What `POST /api/alerts` answers, one per decision.
struct AlertAnswer: Encodable {
    let application: String?
    let action: String
    let reason: String
}

/// Judges the kept alerts again every `period` while the daemon runs.
struct AlertWatch: Service {
    let responder: AlertResponder
    let period: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // Cancellation ends the sleep early and the loop with it.
                try? await Task.sleep(for: period)
                guard !Task.isCancelled else { return }
                await responder.reevaluate()
            }
        }
    }
}
