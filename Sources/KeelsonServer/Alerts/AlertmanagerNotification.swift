import Foundation
import KeelsonKubernetes

/// One notification from Prometheus Alertmanager's webhook receiver (`POST /api/alerts`), payload
/// version 4: a group of alerts, each firing or resolved.
public struct AlertmanagerNotification: Sendable, Hashable {
    public enum Status: String, Sendable {
        case firing, resolved
    }

    public struct Alert: Sendable, Hashable {
        public var status: Status
        public var labels: [String: String]
        public var annotations: [String: String]
        /// When the alert started firing; nil when not sent or Go's zero time.
        public var startsAt: Date?
        /// When it resolved; nil while firing (Alertmanager sends Go's zero time then).
        public var endsAt: Date?
        public var fingerprint: String

        public init(
            status: Status, labels: [String: String], annotations: [String: String] = [:], startsAt: Date? = nil,
            endsAt: Date? = nil, fingerprint: String = ""
        ) {
            self.status = status
            self.labels = labels
            self.annotations = annotations
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.fingerprint = fingerprint
        }

        /// The `alertname` label, as Prometheus sets it.
        public var name: String { labels["alertname"] ?? "" }
    }

    /// Why a body is not an Alertmanager notification; the HTTP layer answers 400 with it.
    public struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    public var status: Status
    public var receiver: String
    public var groupKey: String
    public var alerts: [Alert]

    public init(status: Status, receiver: String = "", groupKey: String = "", alerts: [Alert]) {
        self.status = status
        self.receiver = receiver
        self.groupKey = groupKey
        self.alerts = alerts
    }

    /// Parses a webhook body. Requires `"version": "4"`, `status` and `alerts`, each alert with a
    /// `status`; `receiver`, `groupKey`, `labels`, `annotations`, the times and `fingerprint` are
    /// read when present. Other members (`groupLabels`, `externalURL`…) are not used.
    public init(json body: Data) throws(Malformed) {
        guard let payload = try? JSONValue(json: Array(body)), payload.objectValue != nil else {
            throw Malformed(description: "expected a JSON object: Alertmanager's webhook payload")
        }
        guard let version = payload["version"]?.stringValue else {
            throw Malformed(description: "expected \"version\": \"4\", Alertmanager's webhook payload version")
        }
        guard version == "4" else {
            throw Malformed(description: "expected Alertmanager's webhook payload version \"4\", found \"\(version)\"")
        }
        status = try Self.status(payload["status"], at: "status")
        receiver = payload["receiver"]?.stringValue ?? ""
        groupKey = payload["groupKey"]?.stringValue ?? ""
        guard let alerts = payload["alerts"]?.arrayValue else {
            throw Malformed(description: "expected \"alerts\": a list of alerts")
        }
        self.alerts = []
        for (index, alert) in alerts.enumerated() {
            let at = "alerts[\(index)]"
            guard alert.objectValue != nil else { throw Malformed(description: "expected \(at) to be an object") }
            self.alerts.append(
                Alert(
                    status: try Self.status(alert["status"], at: "\(at).status"),
                    labels: try Self.strings(alert["labels"], at: "\(at).labels"),
                    annotations: try Self.strings(alert["annotations"], at: "\(at).annotations"),
                    startsAt: try Self.date(alert["startsAt"], at: "\(at).startsAt"),
                    endsAt: try Self.date(alert["endsAt"], at: "\(at).endsAt"),
                    fingerprint: alert["fingerprint"]?.stringValue ?? ""))
        }
    }

    private static func status(_ value: JSONValue?, at path: String) throws(Malformed) -> Status {
        guard let status = value?.stringValue.flatMap(Status.init(rawValue:)) else {
            throw Malformed(description: "expected \"\(path)\": \"firing\" or \"resolved\"")
        }
        return status
    }

    /// A JSON object of strings; empty when absent.
    private static func strings(_ value: JSONValue?, at path: String) throws(Malformed) -> [String: String] {
        guard let value else { return [:] }
        let expected = Malformed(description: "expected \"\(path)\": an object of strings")
        guard let object = value.objectValue else { throw expected }
        var strings: [String: String] = [:]
        for member in object {
            guard let string = member.value.stringValue else { throw expected }
            strings[member.key] = string
        }
        return strings
    }

    /// An RFC 3339 time as Go writes it, with up to nine fractional digits; nil when absent or Go's
    /// zero time (`0001-01-01T00:00:00Z`).
    private static func date(_ value: JSONValue?, at path: String) throws(Malformed) -> Date? {
        guard let text = value?.stringValue else { return nil }
        guard let date = RFC3339.date(text) else {
            throw Malformed(description: "expected \"\(path)\": an RFC 3339 time, found \"\(text)\"")
        }
        return date.timeIntervalSince1970 <= RFC3339.goZeroTime ? nil : date
    }
}

/// Times as Go's `time.RFC3339Nano` writes them: `2024-05-01T12:00:03.123456789Z` or with an offset.
enum RFC3339 {
    /// `0001-01-01T00:00:00Z`, Go's zero `time.Time`, in seconds since 1970.
    static let goZeroTime: TimeInterval = -62_135_596_800

    static func date(_ text: String) -> Date? {
        // Foundation's formatter takes at most millisecond fractions: parse the fraction apart.
        var whole = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix(while: { $0.isASCII && $0.isNumber })
            guard !digits.isEmpty, let value = Double("0." + digits) else { return nil }
            fraction = value
            whole = String(text[..<dot]) + text[digits.endIndex...]
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: whole).map { $0.addingTimeInterval(fraction) }
    }
}
