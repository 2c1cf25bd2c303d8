import Foundation
import KeelsonTestSupport
import Testing

/// Alerts judged against what is live: an alert that keeps firing after the next release goes
/// out, and an alert that arrives while a CLI `sync --wait` applies a release.
extension DaemonCLITests {
    /// Posts an Alertmanager notification with the alert token.
    static func sendAlert(_ daemon: DaemonProcess, _ body: Data, timeout: TimeInterval = 60) async throws -> (
        status: Int, body: String
    ) {
        try await daemon.request(
            "POST", "/api/alerts", body: body,
            headers: ["Content-Type": "application/json", "Authorization": "Bearer \(alertToken)"], timeout: timeout)
    }

    /// Pushes `web` at `image` and announces it; waits until its entry is `Succeeded`.
    static func release(_ scenario: GitOpsScenario, _ daemon: DaemonProcess, image: String) async throws -> String {
        try scenario.writeDeployment("web", app: "web", image: image)
        let commit = try await scenario.push("web \(image)")
        let (body, headers) = try githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])
        #expect(try await daemon.request("POST", "/api/webhook", body: body, headers: headers).status == 202)
        #expect(
            try await daemon.eventually {
                let top = try await daemon.history("web").first
                return top?["revision"] as? String == commit && top?["outcome"] as? String == "Succeeded"
            }, "web \(image) was not deployed")
        return commit
    }

    @Test func anAlertThatKeepsFiringIsJudgedAgainstTheNextRelease() async throws {
        let (scenario, daemon, first) = try await running(arguments: ["--alert-settle", "2s"])
        _ = try await Self.release(scenario, daemon, image: "2.0")
        // Alertmanager writes whole seconds: a second ahead, the alert starts after 2.0 did.
        let fired = Date().addingTimeInterval(1)
        let alerted = try await Self.sendAlert(daemon, try Self.alert(startsAt: fired))
        #expect(alerted.status == 200, "\(alerted.body)")
        #expect(try await daemon.history("web").first?["initiator"] as? String == "auto-rollback")
        #expect(try await daemon.eventually { try await Self.outcome(daemon, "web") == "Succeeded" })

        // 3.0 goes out while the alert still fires (after it started); Alertmanager sends nothing
        // new for the group.
        try await Task.sleep(until: .now + .seconds(max(0, fired.timeIntervalSinceNow) + 0.1))
        let third = try await Self.release(scenario, daemon, image: "3.0")
        #expect(
            try await daemon.eventually(within: 30) {
                try await daemon.history("web").first?["initiator"] as? String == "auto-rollback"
            }, "3.0 was not rolled back while the alert went on firing")
        let history = try await daemon.history("web")
        #expect(history.first?["revision"] as? String == first)
        #expect((history.first?["message"] as? String)?.contains("still fires") == true, "\(history)")
        #expect(history.dropFirst().first?["revision"] as? String == third)
        #expect(history.dropFirst().first?["outcome"] as? String == "RolledBack")

        // Resolved: the next release stays, however long it runs.
        let resolved = try await Self.sendAlert(daemon, try Self.alert(startsAt: fired, status: "resolved"))
        #expect(resolved.body.contains("\"action\" : \"resolved\""), "\(resolved.body)")
        let fourth = try await Self.release(scenario, daemon, image: "4.0")
        try await Task.sleep(for: .seconds(4))
        #expect(try await daemon.history("web").first?["revision"] as? String == fourth)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:4.0")
        #expect(try await daemon.stop() == 0)
    }

    @Test func anAlertDuringACLISyncIsJudgedAgainstTheReleaseBeingApplied() async throws {
        let (scenario, daemon, first) = try await running(arguments: ["--alert-settle", "20s"])
        // The live deployment is a rollback: judged against stale status, a new alert would be
        // answered "already rolled back".
        _ = try await Self.release(scenario, daemon, image: "2.0")
        let fired = Date().addingTimeInterval(1)
        #expect(try await Self.sendAlert(daemon, try Self.alert(startsAt: fired)).status == 200)
        #expect(try await daemon.eventually { try await Self.outcome(daemon, "web") == "Succeeded" })
        #expect(try await Self.sendAlert(daemon, try Self.alert(startsAt: fired, status: "resolved")).status == 200)

        // 3.0's pods take 400 simulated seconds (8 s) to get ready: the CLI holds web's lock for
        // longer than a rollback waits for it.
        #expect(
            try await scenario.keelson(
                "cluster", "fault", "add", "registry.example.com/web:3.0", "--mode", "slow-start=400"
            )
            .status == 0)
        try scenario.writeDeployment("web", app: "web", image: "3.0")
        let third = try await scenario.push("web 3.0")
        let sync = Task { try await scenario.keelson("sync", "web", "--wait", "--timeout", "30m") }
        #expect(
            try await daemon.eventually {
                try await daemon.history("web").first?["revision"] as? String == third
            }, "the CLI did not start syncing 3.0")
        let answer = try await Self.sendAlert(
            daemon, try Self.alert(startsAt: Date().addingTimeInterval(1)), timeout: 120)
        // Refused while the CLI holds the lock: 503, so Alertmanager retries; never ignored.
        #expect(answer.status == 503, "\(answer.body)")
        #expect(answer.body.contains("\"action\" : \"failed\""), "\(answer.body)")
        _ = try await sync.value
        // Without a new notification, the daemon judges the alert it keeps again once the lock is free.
        #expect(
            try await daemon.eventually {
                let top = try await daemon.history("web").first
                return top?["initiator"] as? String == "auto-rollback" && top?["revision"] as? String == first
            }, "3.0 was not rolled back")
        #expect(try await daemon.eventually { try await scenario.liveImage("web") == "registry.example.com/web:1.0" })
        #expect(try await daemon.stop() == 0)
    }
}
