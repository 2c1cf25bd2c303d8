import Foundation
import KeelsonCore
import KeelsonTestSupport
import Testing

/// A person's day with Keelson: commits deploy, rollouts are followed, bad commits change nothing.
struct ReconcileCLITests {
    @Test func aCommitIsDeployedAndRecorded() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.writeService("web", app: "web")
        let commit = try await scenario.push("web 1.0")
        try await scenario.addApplication("web")

        let reconcile = try await scenario.keelson("reconcile", "--wait")
        #expect(reconcile.status == 0, "\(reconcile.stderr)")
        #expect(reconcile.stdout.contains("deployment.apps/web created"))
        #expect(reconcile.stdout.contains("service/web created"))
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")

        let status = try await scenario.status("web")
        #expect(status["sync"] as? String == "Synced")
        #expect(status["health"] as? String == "Healthy")
        #expect(status["appliedCommit"] as? String == commit)
        let history = try await scenario.history("web")
        #expect(history.count == 1)
        #expect(history.first?["revision"] as? String == commit)
        #expect(history.first?["subject"] as? String == "web 1.0")
        #expect(history.first?["author"] as? String == "Ada Author")
        #expect(history.first?["initiator"] as? String == "auto")
        #expect(history.first?["outcome"] as? String == "Succeeded")
        #expect((history.first?["rollouts"] as? [[String: Any]])?.first?["revision"] as? Int == 1)
        #expect(history.first?["finishedAt"] != nil)

        let again = try await scenario.keelson("reconcile", "--wait")
        #expect(again.stdout.contains("nothing to apply"))
        #expect(try await scenario.history("web").count == 1)
    }

    @Test func aSecondCommitRollsOutOnlyWhatChanged() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "shop", image: "1.0")
        try scenario.writeDeployment("api", app: "shop", image: "1.0")
        try scenario.writeDeployment("other", app: "other", image: "1.0")
        try await scenario.push("shop 1.0")
        try await scenario.addApplication("shop")
        #expect(try await scenario.keelson("reconcile", "shop", "--wait").status == 0)

        try scenario.writeDeployment("web", app: "shop", image: "1.1")
        try await scenario.push("web 1.1")
        let reconcile = try await scenario.keelson("reconcile", "shop", "--wait")
        #expect(reconcile.status == 0, "\(reconcile.stderr)")
        #expect(reconcile.stdout.contains("deployment.apps/web configured"))
        #expect(!reconcile.stdout.contains("deployment.apps/api"))
        #expect(try await scenario.liveRevision("web") == "2")
        #expect(try await scenario.liveRevision("api") == "1")
        let rollouts = try await scenario.history("shop").first?["rollouts"] as? [[String: Any]]
        #expect(rollouts?.count == 1)
        #expect((rollouts?.first?["deployment"] as? [String: Any])?["name"] as? String == "web")

        // A commit to another application's folder deploys nothing here.
        try scenario.writeDeployment("other", app: "other", image: "2.0")
        let otherCommit = try await scenario.push("other 2.0")
        #expect(try await scenario.keelson("reconcile", "shop", "--wait").stdout.contains("nothing to apply"))
        #expect(try await scenario.history("shop").count == 2)
        #expect(try await scenario.status("shop")["appliedCommit"] as? String == otherCommit)
    }

    @Test func aYAMLErrorAtANewCommitChangesNothingLive() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)

        try scenario.writeDeployment("web", app: "web", image: "1.1")
        try scenario.repository.write("apps/web/broken.yaml", "kind: ConfigMap\nmetadata:\n  name: [oops\n")
        let broken = try await scenario.push("web 1.1 with a typo")
        let reconcile = try await scenario.keelson("reconcile", "--wait")
        #expect(reconcile.status == 1)
        #expect(reconcile.stderr.contains("apps/web/broken.yaml:4"))
        #expect(reconcile.stderr.contains("nothing applied"))
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try await scenario.liveRevision("web") == "1")

        let status = try await scenario.status("web")
        #expect(status["sync"] as? String == "Unknown")
        #expect(status["health"] as? String == "Healthy")
        let conditions = status["conditions"] as? [[String: Any]] ?? []
        #expect(conditions.first?["type"] as? String == "RenderError")
        #expect((conditions.first?["message"] as? String)?.contains("apps/web/broken.yaml:4") == true)
        let failed = try await scenario.history("web").first
        #expect(failed?["revision"] as? String == broken)
        #expect(failed?["outcome"] as? String == "Failed")
        #expect((failed?["message"] as? String)?.contains("apps/web/broken.yaml:4") == true)

        // Reconciling again records the same failure once; a dry run records nothing.
        #expect(try await scenario.keelson("reconcile").status == 1)
        #expect(try await scenario.history("web").count == 2)
        let before = try await scenario.status("web")["reconciledAt"] as? String
        #expect(try await scenario.keelson("sync", "web", "--dry-run").status == 1)
        #expect(try await scenario.status("web")["reconciledAt"] as? String == before)
        #expect(try await scenario.history("web").count == 2)

        // An application whose folder disappears says so in its status.
        try scenario.repository.git("rm", "-r", "--quiet", "apps/web")
        try scenario.writeDeployment("other", app: "other", image: "1.0")
        try await scenario.push("move web away")
        #expect(try await scenario.keelson("reconcile").status == 2)
        #expect(try await scenario.status("web")["sync"] as? String == "Unknown")
        #expect((try await scenario.status("web")["message"] as? String)?.contains("cannot be rendered") == true)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
    }

    @Test func aNewCommitReplacesARolloutStillInProgress() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile").status == 0)
        try scenario.writeDeployment("web", app: "web", image: "1.1")
        try await scenario.push("web 1.1")
        let reconcile = try await scenario.keelson("reconcile", "--wait")
        #expect(reconcile.status == 0, "\(reconcile.stdout)")
        let history = try await scenario.history("web")
        #expect(history.map { $0["outcome"] as? String } == ["Succeeded", "Failed"])
        #expect(history.last?["supersededBy"] as? Int == 2)
    }

    @Test func driftIsReportedThenHealed() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0", replicas: 2)
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.keelson("cluster", "scale", "deployment", "web", "--replicas", "5").status == 0)

        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        let status = try await scenario.status("web")
        #expect(status["sync"] as? String == "OutOfSync")
        let drift = (status["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == "Drift" }
        #expect((drift?["message"] as? String)?.contains("spec.replicas: git has 2, live has 5") == true)
        let spec = try await scenario.liveDeployment("web")?["spec"] as? [String: Any]
        #expect(spec?["replicas"] as? Int == 5)
        let diff = try await scenario.keelson("diff", "web")
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("~ Deployment.apps/default/web (changed live)"))

        #expect(try await scenario.keelson("app", "set", "web", "--self-heal").status == 0)
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        let healed = try await scenario.liveDeployment("web")?["spec"] as? [String: Any]
        #expect(healed?["replicas"] as? Int == 2)
        #expect(try await scenario.status("web")["sync"] as? String == "Synced")
        #expect(try await scenario.keelson("diff", "web").status == 0)
    }

    @Test func objectsRemovedFromGitArePrunedButNeverAllOfThem() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.writeService("web", app: "web")
        try scenario.repository.write("apps/web/README.md", "The web application.\n")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web", "--prune")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)

        try scenario.repository.git("rm", "--quiet", "apps/web/web-service.yaml")
        try await scenario.push("drop the service")
        let pruned = try await scenario.keelson("reconcile", "--wait")
        #expect(pruned.stdout.contains("service/web pruned"))
        #expect(try await scenario.keelson("cluster", "get", "service", "web").status != 0)

        try scenario.repository.git("rm", "--quiet", "apps/web/web.yaml")
        try await scenario.push("drop everything")
        // Rendering nothing is an error, not a reason to delete everything live.
        #expect(try await scenario.keelson("reconcile", "--wait").status == 1)
        #expect(try await scenario.liveDeployment("web") != nil)
        let conditions = try await scenario.status("web")["conditions"] as? [[String: Any]] ?? []
        #expect(conditions.contains { ($0["message"] as? String)?.contains("renders no objects") == true })

        #expect(try await scenario.keelson("reconcile", "--allow-empty").stdout.contains("deployment.apps/web pruned"))
        #expect(try await scenario.liveDeployment("web") == nil)
        #expect(try await scenario.status("web")["sync"] as? String == "Synced")
    }

    @Test func manualApplicationsWaitForSyncAndSuspendedOnesAreSkipped() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web", "--manual")

        #expect(try await scenario.keelson("reconcile").status == 0)
        #expect(try await scenario.liveDeployment("web") == nil)
        #expect(try await scenario.status("web")["sync"] as? String == "OutOfSync")
        let dryRun = try await scenario.keelson("sync", "web", "--dry-run")
        #expect(dryRun.stdout.contains("create Deployment.apps/default/web"))
        #expect(try await scenario.liveDeployment("web") == nil)

        #expect(try await scenario.keelson("sync", "web", "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try await scenario.history("web").first?["initiator"] as? String == "manual")

        try scenario.writeDeployment("web", app: "web", image: "1.1")
        try await scenario.push("web 1.1")
        #expect(try await scenario.keelson("app", "set", "web", "--sync", "automated").status == 0)
        #expect(try await scenario.keelson("suspend", "web").status == 0)
        #expect(try await scenario.keelson("reconcile").stdout.contains("suspended: skipped"))
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try await scenario.keelson("resume", "web").status == 0)
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.1")
    }

    @Test func diffExitsZeroOneOrTwo() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        let before = try await scenario.keelson("diff", "web", "-o", "json")
        #expect(before.status == 1)
        #expect(before.stdout.contains("\"state\" : \"missing\""))
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.keelson("diff", "web").status == 0)
        let unknown = try await scenario.keelson("diff", "nope")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no application \"nope\""))
    }

    @Test func withADaemonOnTheHomeWaitWatchesItsClock() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        do {
            let daemon = try DaemonLock.acquire(
                home: scenario.home.path, info: DaemonInfo(listenAddress: "127.0.0.1:0", simulationSpeed: 1000))
            // Nothing runs its clock here: --wait watches 10 simulated seconds (10 ms) and moves nothing.
            let waiting = try await scenario.keelson("reconcile", "--wait", "--timeout", "10s")
            #expect(waiting.stderr.contains("rollouts still running after 10s"), "\(waiting.stderr)")
            #expect(try await scenario.history("web").first?["outcome"] as? String == "Running")
            withExtendedLifetime(daemon) {}
        }
        // Without a daemon, --wait advances the clock itself.
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.history("web").first?["outcome"] as? String == "Succeeded")
    }
}
