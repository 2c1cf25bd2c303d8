import Crypto
import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonTestSupport
import Testing

/// `keelson run` as operators run it: a real HTTP server on a free loopback port, real git pushes
/// announced by signed webhooks, Alertmanager notifications, promtool on /metrics, SIGTERM.
@Suite(.serialized) struct DaemonCLITests {
    static let secret = "s3cret-for-tests"

    /// The token Alertmanager is configured to send in these tests.
    static let alertToken = "alert-token-for-tests"

    /// A scenario with `web` (and `api`, untouched by later pushes) deployed by a running daemon
    /// that takes alerts with ``alertToken``.
    func running(arguments: [String] = [], environment: [String: String] = [:], log: String? = nil)
        async throws -> (GitOpsScenario, DaemonProcess, String)
    {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.writeDeployment("api", app: "api", image: "1.0")
        let first = try await scenario.push("web and api 1.0")
        try await scenario.addApplication("web")
        try await scenario.addApplication("api")
        let secretFile = scenario.home.appending("webhook-secret")
        try Data((Self.secret + "\n").utf8).write(to: URL(fileURLWithPath: secretFile))
        let daemon = try DaemonProcess(
            home: scenario.home.path,
            arguments: ["--webhook-secret-file", secretFile, "--interval", "1h", "--sim-speed", "50"] + arguments,
            environment: ["KEELSON_ALERT_TOKEN": Self.alertToken].merging(environment) { $1 }, log: log)
        #expect(
            try await daemon.eventually { try await daemon.request("GET", "/readyz").status == 200 },
            "\((try? String(contentsOfFile: daemon.log, encoding: .utf8)) ?? "")")
        #expect(try await daemon.eventually { try await Self.outcome(daemon, "web") == "Succeeded" })
        return (scenario, daemon, first)
    }

    /// The newest history entry's outcome, through the daemon's API.
    static func outcome(_ daemon: DaemonProcess, _ app: String) async throws -> String? {
        try await daemon.history(app).first?["outcome"] as? String
    }

    /// A GitHub push payload for `commit`, touching `files`, and its headers signed with `secret`.
    static func githubPush(_ scenario: GitOpsScenario, commit: String, files: [String], secret: String = secret)
        throws -> (Data, [String: String])
    {
        let payload: [String: Any] = [
            "ref": "refs/heads/main", "before": String(repeating: "1", count: 40), "after": commit,
            "created": false, "deleted": false, "forced": false,
            "repository": [
                "full_name": "acme/deploy", "clone_url": scenario.repository.url,
                "ssh_url": "git@github.com:acme/deploy.git", "html_url": "https://github.com/acme/deploy",
            ],
            "commits": [["id": commit, "message": "bump", "added": [], "modified": files, "removed": []]],
            "head_commit": ["id": commit, "message": "bump"],
            "pusher": ["name": "ada", "email": "ada@example.com"],
        ]
        let body = try JSONSerialization.data(withJSONObject: payload)
        let signature = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        let hex = signature.map { String(format: "%02x", $0) }.joined()
        return (
            body,
            [
                "X-GitHub-Event": "push", "X-GitHub-Delivery": UUID().uuidString, "Content-Type": "application/json",
                "X-Hub-Signature-256": "sha256=" + hex,
            ]
        )
    }

    /// An Alertmanager notification (webhook version 4) of `HighErrorRate` firing (or resolved) for `web`.
    static func alert(startsAt: Date, status: String = "firing") throws -> Data {
        let alert: [String: Any] = [
            "version": "4", "groupKey": "{}:{alertname=\"HighErrorRate\"}", "status": status,
            "receiver": "keelson", "groupLabels": ["alertname": "HighErrorRate"],
            "commonLabels": ["alertname": "HighErrorRate", "keelson_app": "web"], "commonAnnotations": [:],
            "externalURL": "http://alertmanager:9093", "truncatedAlerts": 0,
            "alerts": [
                [
                    "status": status, "labels": ["alertname": "HighErrorRate", "keelson_app": "web"],
                    "annotations": ["summary": "error rate above 5% for 5 minutes"],
                    "startsAt": startsAt.formatted(.iso8601),
                    "endsAt": status == "firing" ? "0001-01-01T00:00:00Z" : Date().formatted(.iso8601),
                    "generatorURL": "http://prometheus:9090/graph", "fingerprint": "a1b2c3d4e5f60718",
                ]
            ],
        ]
        return try JSONSerialization.data(withJSONObject: alert)
    }

    /// The sample count of `keelson_reconcile_duration_seconds` for `app`, all results together.
    static func reconciles(_ daemon: DaemonProcess, _ app: String) async throws -> Int {
        let metrics = try await daemon.request("GET", "/metrics").body
        return metrics.split(separator: "\n").filter {
            $0.hasPrefix("keelson_reconcile_duration_seconds_count{application=\"\(app)\"")
        }.compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
    }

    @Test func aSignedPushDeploysOnlyTheApplicationsItTouches() async throws {
        let (scenario, daemon, _) = try await running()
        let apiBefore = try await Self.reconciles(daemon, "api")
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let commit = try await scenario.push("web 2.0")
        let (body, headers) = try Self.githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])

        let answer = try await daemon.request("POST", "/api/webhook", body: body, headers: headers)
        #expect(answer.status == 202)
        #expect(answer.body.contains("\"reconciling\" : [\n    \"web\"\n  ]"))
        #expect(answer.body.contains("\"application\" : \"api\""))
        #expect(answer.body.contains("\"skippedTotal\" : 1"))
        #expect(
            try await daemon.eventually {
                (try await daemon.history("web").first?["revision"] as? String) == commit
            })
        #expect(try await daemon.eventually { try await Self.outcome(daemon, "web") == "Succeeded" })
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
        #expect(try await Self.reconciles(daemon, "api") == apiBefore)
        #expect(try await daemon.stop() == 0)
    }

    @Test func aBadSignatureIsRefusedAndChangesNothing() async throws {
        let (scenario, daemon, first) = try await running()
        let before = try await Self.reconciles(daemon, "web")
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let commit = try await scenario.push("web 2.0")
        let (body, headers) = try Self.githubPush(
            scenario, commit: commit, files: ["apps/web/web.yaml"], secret: "not-the-secret")
        #expect(try await daemon.request("POST", "/api/webhook", body: body, headers: headers).status == 401)
        var unsigned = headers
        unsigned["X-Hub-Signature-256"] = nil
        #expect(try await daemon.request("POST", "/api/webhook", body: body, headers: unsigned).status == 401)

        let metrics = try await daemon.request("GET", "/metrics").body
        #expect(metrics.contains("keelson_webhook_requests_total{provider=\"github\",result=\"unauthorized\"} 2"))
        #expect(try await Self.reconciles(daemon, "web") == before)
        #expect(try await daemon.history("web").first?["revision"] as? String == first)
        #expect(try await daemon.stop() == 0)
    }

    @Test func anAlertRollsBackARecentDeployment() async throws {
        let (scenario, daemon, first) = try await running()
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let commit = try await scenario.push("web 2.0")
        let (body, headers) = try Self.githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])
        #expect(try await daemon.request("POST", "/api/webhook", body: body, headers: headers).status == 202)
        #expect(
            try await daemon.eventually {
                let top = try await daemon.history("web").first
                return top?["revision"] as? String == commit && top?["outcome"] as? String == "Succeeded"
            })

        let alert = try Self.alert(startsAt: Date().addingTimeInterval(1))
        // Forged: without the token, or with another, the alert changes nothing.
        for forged in [[:], ["Authorization": "Bearer guessed"], ["Authorization": "Basic Z3Vlc3M6d3Jvbmc="]] {
            let refused = try await daemon.request(
                "POST", "/api/alerts", body: alert, headers: forged.merging(["Content-Type": "application/json"]) { $1 }
            )
            #expect(refused.status == 401, "\(refused.body)")
        }
        #expect(try await daemon.history("web").first?["initiator"] as? String == "auto")

        let answer = try await Self.sendAlert(daemon, alert)
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.body.contains("\"action\" : \"rollback\""))
        let top = try await daemon.history("web").first
        #expect(top?["initiator"] as? String == "auto-rollback")
        #expect(top?["revision"] as? String == first)
        #expect(try await daemon.eventually { try await scenario.liveImage("web") == "registry.example.com/web:1.0" })
        // The daemon follows the rollback it started, as it does a push, not at the next interval (1 h).
        #expect(try await daemon.eventually(within: 30) { try await Self.outcome(daemon, "web") == "Succeeded" })
        let metrics = try await daemon.request("GET", "/metrics").body
        for line in [
            "keelson_syncs_total{application=\"web\",initiator=\"auto-rollback\"} 1",
            "keelson_rollbacks_total{application=\"web\",reason=\"alert\"} 1",
            "keelson_rollbacks_total{application=\"web\",reason=\"failed-rollout\"} 0",
            "keelson_alerts_total{application=\"web\",action=\"rollback\"} 1",
        ] {
            #expect(metrics.contains(line), "\(line)")
        }
        #expect(try await daemon.stop() == 0)
    }

    @Test func aRealAlertmanagerWithTheTokenRollsBackAndTheRollbackCompletes() async throws {
        let (scenario, daemon, first) = try await running()
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let commit = try await scenario.push("web 2.0")
        let (body, headers) = try Self.githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])
        #expect(try await daemon.request("POST", "/api/webhook", body: body, headers: headers).status == 202)
        #expect(try await daemon.eventually { try await Self.outcome(daemon, "web") == "Succeeded" })

        let alertmanager = try AlertmanagerProcess(receiver: daemon.base + "/api/alerts", token: Self.alertToken)
        #expect(try await daemon.eventually { await alertmanager.isReady() }, "alertmanager did not start")
        let fired = Date()
        try await alertmanager.fire(
            ["alertname": "HighErrorRate", "keelson_app": "web", "severity": "critical"],
            startsAt: fired.addingTimeInterval(1))
        #expect(
            try await daemon.eventually {
                try await daemon.history("web").first?["initiator"] as? String == "auto-rollback"
            }, "Alertmanager's notification did not roll web back")
        let rolledBack = Date()
        #expect(try await daemon.eventually { try await Self.outcome(daemon, "web") == "Succeeded" })
        let succeeded = Date()
        let top = try await daemon.history("web").first
        #expect(top?["revision"] as? String == first)
        #expect((top?["message"] as? String)?.contains("HighErrorRate") == true, "\(top ?? [:])")
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        print(
            "alertmanager: alert fired → rollback recorded \(Int(rolledBack.timeIntervalSince(fired) * 1000)) ms, "
                + "→ history Succeeded \(Int(succeeded.timeIntervalSince(fired) * 1000)) ms")
        #expect(try await daemon.stop() == 0)
    }

    @Test func aRollbackThatCannotRunIsAnswered503SoAlertmanagerRetries() async throws {
        let (scenario, daemon, _) = try await running()
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let commit = try await scenario.push("web 2.0")
        let (body, headers) = try Self.githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])
        #expect(try await daemon.request("POST", "/api/webhook", body: body, headers: headers).status == 202)
        #expect(try await daemon.eventually { try await Self.outcome(daemon, "web") == "Succeeded" })
        // Another keelson holds web's lock (as a CLI `sync --wait` would) for longer than the rollback waits.
        var lock: ApplicationLock? = try await ApplicationLock.acquire("web", home: scenario.home.path)
        let answer = try await Self.sendAlert(
            daemon, try Self.alert(startsAt: Date().addingTimeInterval(1)), timeout: 30)
        #expect(answer.status == 503, "\(answer.body)")
        #expect(answer.body.contains("\"action\" : \"failed\""))
        #expect(try await daemon.history("web").first?["initiator"] as? String == "auto")
        withExtendedLifetime(lock) { lock = nil }
        // Alertmanager sends the notification again: now it rolls back.
        let retried = try await Self.sendAlert(daemon, try Self.alert(startsAt: Date().addingTimeInterval(1)))
        #expect(retried.status == 200, "\(retried.body)")
        #expect(try await daemon.history("web").first?["initiator"] as? String == "auto-rollback")
        #expect(try await daemon.stop() == 0)
    }

    @Test func metricsPassPromtool() async throws {
        // The scenario kept: its folders are the daemon's home and repository.
        let (scenario, daemon, _) = try await running()
        defer { withExtendedLifetime(scenario) {} }
        let metrics = try await daemon.request("GET", "/metrics")
        #expect(metrics.status == 200)
        // One 0/1 series per state, so that a change of state makes no new series.
        for line in [
            "keelson_application_sync_status{application=\"web\",status=\"Synced\"} 1",
            "keelson_application_sync_status{application=\"web\",status=\"OutOfSync\"} 0",
            "keelson_application_health_status{application=\"web\",status=\"Healthy\"} 1",
            "keelson_application_health_status{application=\"web\",status=\"Degraded\"} 0",
            "keelson_application_pinned{application=\"web\"} 0",
            "keelson_application_suspended{application=\"web\"} 0",
            // Counters exist at 0 before their first event, so that increase() sees it.
            "keelson_syncs_total{application=\"web\",initiator=\"auto-rollback\"} 0",
            "keelson_rollbacks_total{application=\"api\",reason=\"alert\"} 0",
            "keelson_alerts_total{application=\"web\",action=\"rollback\"} 0",
            "keelson_git_requests_total{kind=\"fetch\",result=\"error\"} 0",
            "keelson_git_repacks_total{result=\"error\"} 0",
            "keelson_resource_exhausted{resource=\"open-files\"} 0",
            "keelson_resource_exhausted{resource=\"disk-space\"} 0",
            "keelson_webhook_requests_total{provider=\"gitlab\",result=\"accepted\"} 0",
            "keelson_build_info{version=\"",
        ] {
            #expect(metrics.body.contains(line), "\(line)")
        }
        for family in [
            "keelson_application_revision_info{application=\"web\",revision=\"",
            "keelson_application_last_reconcile_timestamp_seconds{application=\"web\"} ",
            "keelson_application_last_synced_timestamp_seconds{application=\"web\"} ",
            "keelson_deployment_available_replicas{application=\"web\"",
            "keelson_git_requests_total{kind=\"ls-remote\",result=\"success\"} ",
            "keelson_git_requests_total{kind=\"fetch\",result=\"success\"} ",
            "process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_open_fds ",
            "process_start_time_seconds ",
        ] {
            #expect(metrics.body.contains(family), "\(family)")
        }
        #expect(!metrics.body.contains("keelson_application_info"))
        for part in ["mirrors", "keelson.sqlite", "cluster.sqlite"] {
            let prefix = "keelson_disk_usage_bytes{path=\"\(part)\"} "
            let value = metrics.body.split(separator: "\n").first { $0.hasPrefix(prefix) }?.dropFirst(prefix.count)
            #expect((value.flatMap { Double($0) } ?? 0) > 1000, "\(part)")
        }
        let folder = try TemporaryFolder()
        let file = folder.appending("metrics.txt")
        try Data(metrics.body.utf8).write(to: URL(fileURLWithPath: file))
        let promtool = try await Command.execute(["sh", "-c", "promtool check metrics < \(file)"])
        #expect(promtool.status == 0, "\(promtool.stdout)\(promtool.stderr)")
        #expect(promtool.stdout.isEmpty && promtool.stderr.isEmpty, "\(promtool.stdout)\(promtool.stderr)")
        #expect(try await daemon.stop() == 0)
    }

    @Test func sigtermMidRolloutExitsCleanlyAndARestartFinishesTheRollout() async throws {
        let (scenario, daemon, _) = try await running(arguments: [])
        // Pods of 2.0 take 100 simulated seconds to get ready: 2 s of real time each at 50×.
        #expect(
            try await scenario.keelson(
                "cluster", "fault", "add", "registry.example.com/web:2.0", "--mode", "slow-start=100"
            )
            .status == 0)
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let commit = try await scenario.push("web 2.0")
        let (body, headers) = try Self.githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])
        #expect(try await daemon.request("POST", "/api/webhook", body: body, headers: headers).status == 202)
        #expect(
            try await daemon.eventually {
                try await daemon.history("web").first?["revision"] as? String == commit
            })
        #expect(try await daemon.stop() == 0)
        #expect(try await scenario.history("web").first?["outcome"] as? String == "Running")

        let restarted = try DaemonProcess(
            home: scenario.home.path, arguments: ["--interval", "1h", "--sim-speed", "50"])
        #expect(
            try await restarted.eventually(within: 90) { try await Self.outcome(restarted, "web") == "Succeeded" })
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
        #expect(try await restarted.stop() == 0)
    }
}

/// The daemon's API and its settings.
@Suite(.serialized) struct DaemonAPITests {
    @Test func theAPIServesStatusAndGuardsChangesWithAToken() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        let token = "token-for-tests"
        let daemon = try DaemonProcess(
            home: scenario.home.path, arguments: ["--interval", "1h", "--sim-speed", "50"],
            environment: ["KEELSON_API_TOKEN": token])
        #expect(try await daemon.eventually { try await daemon.request("GET", "/readyz").status == 200 })

        // Reads need the token too: applications name their repositories.
        #expect(try await daemon.request("GET", "/api/v1/applications").status == 401)
        #expect(try await daemon.request("GET", "/api/v1/applications/web").status == 401)
        let right = ["Authorization": "Bearer \(token)"]
        let list = try await daemon.request("GET", "/api/v1/applications", headers: right)
        #expect(list.status == 200)
        let views = try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]]
        #expect(views?.first?["name"] as? String == "web")
        #expect(try await daemon.request("GET", "/api/v1/applications/nope", headers: right).status == 404)

        #expect(try await daemon.request("POST", "/api/v1/applications/web/sync").status == 401)
        let wrong = ["Authorization": "Bearer not-the-token"]
        #expect(try await daemon.request("POST", "/api/v1/applications/web/sync", headers: wrong).status == 401)
        let sync = try await daemon.request("POST", "/api/v1/applications/web/sync", headers: right)
        #expect(sync.status == 200, "\(sync.body)")
        #expect(sync.body.contains("\"name\" : \"web\""))
        // Syncs and rollbacks through the API are counted like the scheduler's.
        #expect(try await daemon.eventually { try await DaemonCLITests.outcome(daemon, "web") == "Succeeded" })
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        try await scenario.push("web 2.0")
        #expect(try await daemon.request("POST", "/api/v1/applications/web/sync", headers: right).status == 200)
        let rollback = try await daemon.request("POST", "/api/v1/applications/web/rollback", headers: right)
        #expect(rollback.status == 200, "\(rollback.body)")
        let metrics = try await daemon.request("GET", "/metrics").body
        for line in [
            "keelson_syncs_total{application=\"web\",initiator=\"manual\"} 1",
            "keelson_syncs_total{application=\"web\",initiator=\"rollback\"} 1",
            "keelson_rollbacks_total{application=\"web\",reason=\"forced\"} 1",
        ] {
            #expect(metrics.contains(line), "\(line)")
        }
        #expect(try await daemon.stop() == 0)

        // Without a token the API and the alerts are off.
        let readOnly = try DaemonProcess(home: scenario.home.path, arguments: ["--interval", "1h"])
        let refused = try await readOnly.request("POST", "/api/v1/applications/web/rollback", headers: right)
        #expect(refused.status == 403)
        #expect(try await readOnly.request("GET", "/api/v1/applications", headers: right).status == 403)
        let alert = try DaemonCLITests.alert(startsAt: Date())
        #expect(try await readOnly.request("POST", "/api/alerts", body: alert, headers: right).status == 403)
        #expect(try await readOnly.stop() == 0)
    }

    @Test func logsAreJSONLinesWithoutSecrets() async throws {
        let folder = try TemporaryFolder()
        let log = folder.appending("daemon.log")
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        let secretFile = folder.appending("secret")
        try Data(DaemonCLITests.secret.utf8).write(to: URL(fileURLWithPath: secretFile))
        let daemon = try DaemonProcess(
            home: scenario.home.path,
            arguments: ["--interval", "1h", "--log-format", "json", "--webhook-secret-file", secretFile], log: log)
        #expect(try await daemon.eventually { try await daemon.request("GET", "/readyz").status == 200 })
        let (body, headers) = try DaemonCLITests.githubPush(
            scenario, commit: try scenario.repository.head().hex, files: ["apps/web/web.yaml"], secret: "wrong")
        #expect(try await daemon.request("POST", "/api/webhook", body: body, headers: headers).status == 401)
        #expect(try await daemon.stop() == 0)

        let text = try String(contentsOfFile: log, encoding: .utf8)
        let lines = try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] ?? [:]
        }
        let reconciled = lines.first { $0["message"]?.hasPrefix("reconciled") == true }
        #expect(reconciled?["app"] == "web")
        #expect(reconciled?["revision"]?.count == 7)
        #expect(reconciled?["duration_ms"] != nil)
        #expect(reconciled?["outcome"] == "synced")
        #expect(lines.contains { $0["message"]?.hasPrefix("webhook refused") == true })
        #expect(!text.contains(DaemonCLITests.secret))
    }

    @Test func keelsonYAMLIsReadAndTyposAreRefused() async throws {
        let home = try TemporaryFolder()
        let file = home.appending("keelson.yaml")
        try Data("listen: 127.0.0.1:0\nconcurency: 8\n".utf8).write(to: URL(fileURLWithPath: file))
        let refused = try await KeelsonCLI.run(["run"], home: home.path)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("keelson.yaml: line 2: unknown setting \"concurency\""), "\(refused.stderr)")

        try Data("concurrency: 2\nlogFormat: json\n".utf8).write(to: URL(fileURLWithPath: file))
        let daemon = try DaemonProcess(home: home.path)
        #expect(try await daemon.request("GET", "/healthz").body == "ok\n")
        #expect(try await daemon.stop() == 0)
    }
}

extension DaemonProcess {
    /// The application's history, read through `keelson history -o json` on the daemon's home.
    func history(_ app: String) async throws -> [[String: Any]] {
        let outcome = try await KeelsonCLI.run(["history", app, "-o", "json"], home: home)
        return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]] ?? []
    }
}
