import Foundation
import KeelsonCore

/// What to do about an alert from Alertmanager.
public enum AlertDecision: Sendable, Hashable {
    /// Roll the application back to its last successful deployment.
    case rollBack(application: String, reason: String)
    /// Do nothing; `application` is nil when the alert names none.
    case ignore(application: String?, reason: String)
    /// A resolved alert: worth a log line, nothing more.
    case record(application: String, alertname: String)
}

/// An application with what the policy needs to judge it.
public struct AlertedApplication: Sendable {
    public var application: Application
    public var status: ApplicationStatus
    /// Newest first, as the store lists it.
    public var history: [HistoryEntry]

    public init(application: Application, status: ApplicationStatus, history: [HistoryEntry]) {
        self.application = application
        self.status = status
        self.history = history
    }
}

/// Decides which firing alerts roll an application back: those that started soon after a
/// deployment that may have caused them, and those that go on firing after it.
///
/// A firing alert labelled with an application rolls it back when the application has
/// auto-rollback on, its live deployment is not itself a rollback, an earlier deployment
/// succeeded, and either
/// - the alert started within ``window`` after the live deployment started (or now is, when the
///   alert gives no start), or
/// - the alert started before the live deployment, that deployment completed its rollout at least
///   ``settle`` ago and started within ``window`` before now: the alert is judged again against
///   each deployment that goes out while it fires, and one that does not stop it is blamed.
///
/// Several alerts for one application make one decision.
public struct AlertRollbackPolicy: Sendable {
    /// The alert label that names the application.
    public var applicationLabel: String
    /// How long after a deployment an alert is blamed on it.
    public var window: Duration
    /// How long an alert that fired before a deployment may go on firing once the deployment
    /// completed before it is blamed on it: long enough for the alert of a release that fixed
    /// things to be resolved (Alertmanager's `group_interval` plus Prometheus' evaluation interval).
    public var settle: Duration

    public init(
        applicationLabel: String = "keelson_app", window: Duration = .seconds(15 * 60),
        settle: Duration = .seconds(6 * 60)
    ) {
        self.applicationLabel = applicationLabel
        self.window = window
        self.settle = settle
    }

    /// The applications named by firing alerts: the ones ``decisions(for:applications:now:)`` needs.
    public func applicationNames(in notification: AlertmanagerNotification) -> [String] {
        var names: [String] = []
        for alert in notification.alerts where alert.status == .firing {
            if let name = applicationName(alert), !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// One decision per application named by a firing alert, one `record` per resolved alert, and
    /// one `ignore` per alert that names no application, in the order the alerts came.
    ///
    /// - Parameter applications: the applications named by firing alerts, by name; a name
    ///   missing here is an unknown application.
    public func decisions(
        for notification: AlertmanagerNotification, applications: [String: AlertedApplication], now: Date
    ) -> [AlertDecision] {
        var decisions: [AlertDecision] = []
        var decided: Set<String> = []
        for alert in notification.alerts {
            guard let name = applicationName(alert) else {
                decisions.append(
                    .ignore(application: nil, reason: "alert \"\(alert.name)\" has no \(applicationLabel) label"))
                continue
            }
            switch alert.status {
            case .resolved:
                decisions.append(.record(application: name, alertname: alert.name))
            case .firing:
                guard decided.insert(name).inserted else { continue }
                let firing = notification.alerts.filter { $0.status == .firing && applicationName($0) == name }
                decisions.append(decide(name, firing, applications[name], now: now))
            }
        }
        var seen: Set<AlertDecision> = []
        return decisions.filter { seen.insert($0).inserted }
    }

    private func applicationName(_ alert: AlertmanagerNotification.Alert) -> String? {
        guard let name = alert.labels[applicationLabel], !name.isEmpty else { return nil }
        return name
    }

    /// Rolls back on the first alert that warrants it; otherwise ignores with the first alert's reason.
    private func decide(
        _ name: String, _ alerts: [AlertmanagerNotification.Alert], _ app: AlertedApplication?, now: Date
    ) -> AlertDecision {
        let verdicts = alerts.map { (alert: $0, verdict: judge($0, name, app, now: now)) }
        if let (alert, verdict) = verdicts.first(where: { $0.verdict.rollBack }) {
            var others: [String] = []
            for other in alerts.map(\.name) where other != alert.name && !others.contains(other) {
                others.append(other)
            }
            let also = others.isEmpty ? "" : "; also firing: \(others.joined(separator: ", "))"
            return .rollBack(application: name, reason: verdict.reason + also)
        }
        return .ignore(application: name, reason: verdicts.first?.verdict.reason ?? "")
    }

    /// Whether one alert rolls the application back, and why (or why not).
    private func judge(_ alert: AlertmanagerNotification.Alert, _ name: String, _ app: AlertedApplication?, now: Date)
        -> (rollBack: Bool, reason: String)
    {
        guard let app else { return (false, "no application is named \"\(name)\"") }
        guard app.application.syncPolicy.autoRollback else { return (false, "auto-rollback is off") }
        guard let liveID = app.status.currentHistoryID, let live = app.history.first(where: { $0.id == liveID })
        else { return (false, "nothing is deployed") }
        let deployment = "#\(live.id) (\(live.revision.prefix(7)))"
        guard live.initiator != .rollback, live.initiator != .autoRollback else {
            return (false, "already rolled back: the live deployment \(deployment) is a rollback")
        }
        if let startsAt = alert.startsAt, startsAt.timeIntervalSince(now) > Self.clockSkew {
            return (
                false,
                "alert \"\(alert.name)\" claims to start in the future (\(startsAt.formatted(.iso8601))); refused"
            )
        }
        guard app.history.contains(where: { $0.id < live.id && $0.outcome == .succeeded }) else {
            return (false, "nothing to roll back to: no successful deployment before \(deployment)")
        }
        let window = window / .seconds(1)
        let age = (alert.startsAt ?? now).timeIntervalSince(live.startedAt)
        guard age >= 0 else { return stillFiring(alert, since: live, deployment, window: window, now: now) }
        guard age <= window else {
            return (
                false,
                "\(deployment) was deployed \(Self.describe(age)) before alert \"\(alert.name)\" started, "
                    + "more than the \(Self.describe(window)) window"
            )
        }
        return (true, "alert \"\(alert.name)\" started \(Self.describe(age)) after \(deployment) was deployed")
    }

    /// An alert that was firing before `live` went out: blamed on it once `live` has completed and
    /// the alert has gone on firing for ``settle`` since.
    private func stillFiring(
        _ alert: AlertmanagerNotification.Alert, since live: HistoryEntry, _ deployment: String,
        window: TimeInterval, now: Date
    ) -> (rollBack: Bool, reason: String) {
        let settle = settle / .seconds(1)
        let waiting = "alert \"\(alert.name)\" started before \(deployment) was deployed"
        guard live.outcome == .succeeded, let completed = live.finishedAt else {
            return (false, "\(waiting): judged again \(Self.describe(settle)) after its rollout completes")
        }
        let firingSince = now.timeIntervalSince(completed)
        guard firingSince >= settle else {
            return (false, "\(waiting): judged again \(Self.describe(settle - firingSince)) from now if it still fires")
        }
        let age = now.timeIntervalSince(live.startedAt)
        guard age <= window else {
            return (
                false,
                "\(waiting), \(Self.describe(age)) ago, more than the \(Self.describe(window)) window"
            )
        }
        return (
            true,
            "alert \"\(alert.name)\" still fires \(Self.describe(firingSince)) after \(deployment) completed"
        )
    }

    /// How far ahead of this clock Alertmanager's may be: an alert that starts later than that
    /// is forged or from a broken clock, and could pass any window.
    static let clockSkew: TimeInterval = 60

    /// `45s`, `12 min`, `3 h`.
    private static func describe(_ seconds: TimeInterval) -> String {
        switch seconds {
        case ..<60: "\(Int(seconds))s"
        case ..<3600: "\(Int(seconds / 60)) min"
        default: "\(Int(seconds / 3600)) h"
        }
    }
}
