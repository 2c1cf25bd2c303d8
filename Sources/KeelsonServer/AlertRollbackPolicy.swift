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
/// deployment that may have caused them.
///
/// A firing alert labelled with an application rolls it back when the application has
/// auto-rollback on, its live deployment started within ``window`` before the alert did (or
/// before now, when the alert gives no start), that deployment is not itself a rollback, and an
/// earlier deployment succeeded. Several alerts for one application make one decision.
public struct AlertRollbackPolicy: Sendable {
    /// The alert label that names the application.
    public var applicationLabel: String
    /// How long after a deployment an alert is blamed on it.
    public var window: Duration

    public init(applicationLabel: String = "keelson_app", window: Duration = .seconds(15 * 60)) {
        self.applicationLabel = applicationLabel
        self.window = window
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
        let age = (alert.startsAt ?? now).timeIntervalSince(live.startedAt)
        guard age >= 0 else { return (false, "alert \"\(alert.name)\" started before \(deployment) was deployed") }
        let window = window / .seconds(1)
        guard age <= window else {
            return (
                false,
                "\(deployment) was deployed \(Self.describe(age)) before alert \"\(alert.name)\" started, "
                    + "more than the \(Self.describe(window)) window"
            )
        }
        guard app.history.contains(where: { $0.id < live.id && $0.outcome == .succeeded }) else {
            return (false, "nothing to roll back to: no successful deployment before \(deployment)")
        }
        return (true, "alert \"\(alert.name)\" started \(Self.describe(age)) after \(deployment) was deployed")
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
