import Foundation
import Synchronization

/// The alerts Alertmanager says are firing, kept until it says they resolved or stops repeating
/// them, so that each deployment that goes out while they fire is judged against them too.
///
/// Every notification carries all the alerts of its group, so it replaces what its group held.
/// Kept in memory: after a restart they are known again at Alertmanager's next repeat of the group.
public final class FiringAlerts: Sendable {
    private struct Group {
        var alerts: [AlertmanagerNotification.Alert]
        var received: Date
    }

    private let groups = Mutex<[String: Group]>([:])
    /// A group that Alertmanager has not sent again for this long is forgotten: its
    /// `repeat_interval` (4 h by default) with a margin.
    public let expiry: Duration

    public init(expiry: Duration) {
        self.expiry = expiry
    }

    /// Keeps the firing alerts of `notification`'s group, in place of those it held.
    public func receive(_ notification: AlertmanagerNotification, at now: Date) {
        let firing = notification.alerts.filter { $0.status == .firing }
        groups.withLock { groups in
            groups[notification.groupKey] = firing.isEmpty ? nil : Group(alerts: firing, received: now)
        }
    }

    /// The alerts firing as of `now`, each once (by fingerprint) even when several groups hold it.
    public func firing(at now: Date) -> [AlertmanagerNotification.Alert] {
        let expiry = expiry / .seconds(1)
        return groups.withLock { groups in
            groups = groups.filter { now.timeIntervalSince($0.value.received) <= expiry }
            var seen: Set<String> = []
            return groups.sorted { $0.key < $1.key }.flatMap(\.value.alerts).filter { alert in
                let identity =
                    alert.fingerprint.isEmpty
                    ? alert.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                    : alert.fingerprint
                return seen.insert(identity).inserted
            }
        }
    }
}
