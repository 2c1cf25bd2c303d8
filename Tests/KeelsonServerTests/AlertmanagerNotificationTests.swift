import Foundation
import KeelsonServer
import Testing

struct AlertmanagerNotificationTests {
    /// What Alertmanager's webhook receiver posts: one firing alert and one resolved.
    static let payload = """
        {
          "receiver": "keelson",
          "status": "firing",
          "alerts": [
            {
              "status": "firing",
              "labels": {
                "alertname": "HighErrorRate",
                "keelson_app": "web",
                "namespace": "shop",
                "severity": "critical"
              },
              "annotations": { "summary": "5xx above 5% for 2 minutes" },
              "startsAt": "2024-05-01T12:03:07.123456789Z",
              "endsAt": "0001-01-01T00:00:00Z",
              "generatorURL": "http://prometheus:9090/graph?g0.expr=job%3Aerrors%3Aratio5m+%3E+0.05&g0.tab=1",
              "fingerprint": "c4f5e2f3a1b2c3d4"
            },
            {
              "status": "resolved",
              "labels": { "alertname": "HighLatency", "keelson_app": "api", "severity": "warning" },
              "annotations": {},
              "startsAt": "2024-05-01T11:00:00Z",
              "endsAt": "2024-05-01T13:30:00.5+02:00",
              "generatorURL": "http://prometheus:9090/graph?g0.expr=latency",
              "fingerprint": "0a1b2c3d4e5f6a7b"
            }
          ],
          "groupLabels": { "alertname": "HighErrorRate" },
          "commonLabels": { "severity": "critical" },
          "commonAnnotations": {},
          "externalURL": "http://alertmanager:9093",
          "version": "4",
          "groupKey": "{}:{alertname=\\"HighErrorRate\\"}",
          "truncatedAlerts": 0
        }
        """

    static func parse(_ text: String) throws(AlertmanagerNotification.Malformed) -> AlertmanagerNotification {
        try AlertmanagerNotification(json: Data(text.utf8))
    }

    @Test func alertmanagersPayloadIsParsed() throws {
        let notification = try Self.parse(Self.payload)
        #expect(notification.status == .firing)
        #expect(notification.receiver == "keelson")
        #expect(notification.groupKey == #"{}:{alertname="HighErrorRate"}"#)
        #expect(notification.alerts.count == 2)
        let firing = notification.alerts[0]
        #expect(firing.status == .firing)
        #expect(firing.name == "HighErrorRate")
        #expect(firing.labels["keelson_app"] == "web")
        #expect(firing.annotations == ["summary": "5xx above 5% for 2 minutes"])
        #expect(firing.fingerprint == "c4f5e2f3a1b2c3d4")
        let startsAt = try #require(firing.startsAt)
        #expect(abs(startsAt.timeIntervalSince1970 - 1_714_564_987.123_456_789) < 0.000_01)
        #expect(firing.endsAt == nil)
        let resolved = notification.alerts[1]
        #expect(resolved.status == .resolved)
        #expect(resolved.startsAt == Date(timeIntervalSince1970: 1_714_561_200))
        #expect(resolved.endsAt == Date(timeIntervalSince1970: 1_714_563_000.5))
    }

    @Test(arguments: [
        (#"{"version": "3", "status": "firing", "alerts": []}"#, #"payload version "4", found "3""#),
        (#"{"status": "firing", "alerts": []}"#, #"expected "version": "4""#),
        (#"{"version": "4", "alerts": []}"#, #"expected "status": "firing" or "resolved""#),
        (#"{"version": "4", "status": "firing"}"#, #"expected "alerts": a list of alerts"#),
        (
            #"{"version": "4", "status": "firing", "alerts": [{"status": "pending", "labels": {}}]}"#,
            #"expected "alerts[0].status": "firing" or "resolved""#
        ),
        (
            #"{"version": "4", "status": "firing", "alerts": [{"status": "firing", "labels": {"replicas": 3}}]}"#,
            #"expected "alerts[0].labels": an object of strings"#
        ),
        (
            #"{"version": "4", "status": "firing", "alerts": [{"status": "firing", "startsAt": "yesterday"}]}"#,
            #"expected "alerts[0].startsAt": an RFC 3339 time, found "yesterday""#
        ),
        ("[1, 2]", "expected a JSON object"),
        ("version: 4", "expected a JSON object"),
    ])
    func malformedNotificationsSayWhatWasExpected(body: String, expected: String) {
        let error = #expect(throws: AlertmanagerNotification.Malformed.self) { try Self.parse(body) }
        #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    }
}
