import Foundation
import KeelsonTestSupport
import Testing

/// A status says only what is true: nothing rendered is not Synced, a broken folder is recorded
/// once per broken state.
struct HonestStatusTests {
    @Test func aPathThatRendersNothingIsAnErrorUnlessTheApplicationAllowsIt() async throws {
        let scenario = try GitOpsScenario()
        try scenario.repository.write("apps/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n")
        try scenario.repository.write("apps/web/app.jsonnet", "{ kind: 'ConfigMap' }\n")
        try await scenario.push("a chart, not manifests")
        try await scenario.addApplication("web")

        let reconcile = try await scenario.keelson("reconcile")
        #expect(reconcile.status == 1)
        let status = try await scenario.status("web")
        #expect(status["sync"] as? String == "Unknown")
        #expect(status["health"] as? String != "Healthy")
        let condition = (status["conditions"] as? [[String: Any]])?.first?["message"] as? String ?? ""
        #expect(condition.contains("apps/web: renders no objects"), "\(condition)")
        #expect(condition.contains("apps/web/Chart.yaml (a Helm chart"), "\(condition)")
        #expect(condition.contains("apps/web/app.jsonnet (Jsonnet"), "\(condition)")
        #expect(try await scenario.history("web").first?["outcome"] as? String == "Failed")

        #expect(try await scenario.keelson("app", "set", "web", "--allow-empty").status == 0)
        #expect(try await scenario.keelson("reconcile").status == 0)
        #expect(try await scenario.status("web")["sync"] as? String == "Synced")
    }

    @Test func kindsKeelsonDoesNotAssessAreNotReportedHealthy() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.repository.write(
            "apps/web/extra.yaml",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web-settings}
            data: {mode: production}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: postgres:16}]}
            ---
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: cache}
            spec: {chart: {spec: {chart: redis}}}
            """)
        try await scenario.push("web with a database and a cache")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        let status = try await scenario.status("web")
        #expect(status["health"] as? String == "NotAssessed")
        let health = Dictionary(
            uniqueKeysWithValues: (status["resources"] as? [[String: Any]] ?? []).map {
                (($0["key"] as? [String: Any])?["name"] as? String ?? "", $0["health"] as? String ?? "")
            })
        #expect(health == ["web": "Healthy", "web-settings": "Healthy", "db": "NotAssessed", "cache": "NotAssessed"])
        let conditions = status["conditions"] as? [[String: Any]] ?? []
        let unassessed = conditions.first { $0["type"] as? String == "HealthNotAssessed" }?["message"] as? String
        #expect(unassessed?.contains("statefulset/db, helmrelease/cache") == true, "\(conditions)")
        #expect((status["message"] as? String)?.hasPrefix("live matches") == true)

        // The HelmRelease is applied, and the render says nothing acts on it here.
        let render = try await scenario.keelson("render", scenario.repository.workPath + "/apps/web")
        #expect(render.stderr.contains("a HelmRelease is reconciled by Flux's helm-controller"), "\(render.stderr)")
    }

    @Test func anUnrelatedCommitAddsNoSecondFailedEntryForTheSameBrokenFolder() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.writeDeployment("api", app: "api", image: "1.0")
        try await scenario.push("web and api 1.0")
        try await scenario.addApplication("web")
        try await scenario.addApplication("api")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        try scenario.repository.write("apps/web/web.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: [\n")
        try await scenario.push("web: a typo")
        #expect(try await scenario.keelson("reconcile", "web").status == 1)
        #expect(try await scenario.history("web").count == 2)

        for tag in ["1.1", "1.2"] {
            try scenario.writeDeployment("api", app: "api", image: tag)
            try await scenario.push("api \(tag)")
            #expect(try await scenario.keelson("reconcile", "web").status == 1)
        }
        let history = try await scenario.history("web")
        #expect(history.count == 2, "\(history.map { $0["subject"] ?? "" })")
        #expect(history.first?["outcome"] as? String == "Failed")

        // Another error in the same folder is another broken state.
        try scenario.repository.write("apps/web/web.yaml", "apiVersion: apps/v1\nkind: Deployment\n")
        try await scenario.push("web: still broken, differently")
        #expect(try await scenario.keelson("reconcile", "web").status == 1)
        #expect(try await scenario.history("web").count == 3)
    }
}

/// The live object keeps everything applied, as an API server does, and drift on it is seen.
struct LiveMetadataTests {
    private func writeWeb(_ scenario: GitOpsScenario, team: String) throws {
        try scenario.repository.write(
            "apps/web/web.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web, team: \(team)}
              annotations: {owner: "ada@example.com"}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: registry.example.com/web:1.0}]}
            """)
    }

    @Test func labelsAndAnnotationsAreKeptAndDriftOnThemIsSeen() async throws {
        let scenario = try GitOpsScenario()
        try writeWeb(scenario, team: "shop")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        let metadata = try #require(try await scenario.liveDeployment("web")?["metadata"] as? [String: Any])
        #expect(metadata["labels"] as? [String: String] == ["app": "web", "team": "shop"])
        #expect((metadata["annotations"] as? [String: String])?["owner"] == "ada@example.com")

        // Changed live behind Keelson's back: drift, named by field.
        #expect(try await scenario.keelson("cluster", "label", "deployment", "web", "team=payments").status == 0)
        #expect(try await scenario.keelson("reconcile").status == 0)
        let status = try await scenario.status("web")
        #expect(status["sync"] as? String == "OutOfSync")
        let drift = (status["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == "Drift" }
        #expect((drift?["message"] as? String)?.contains("metadata.labels.team") == true, "\(status)")

        // A sync puts git's labels back; a label changed in git alone is applied.
        #expect(try await scenario.keelson("sync", "web").status == 0)
        #expect(try await scenario.status("web")["sync"] as? String == "Synced")
        try writeWeb(scenario, team: "checkout")
        try await scenario.push("web belongs to checkout")
        #expect(try await scenario.keelson("reconcile").stdout.contains("deployment.apps/web configured"))
        let labels = (try await scenario.liveDeployment("web")?["metadata"] as? [String: Any])?["labels"]
        #expect(labels as? [String: String] == ["app": "web", "team": "checkout"])
    }
}
