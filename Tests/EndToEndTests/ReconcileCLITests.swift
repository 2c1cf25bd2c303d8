import Foundation
import KeelsonCore
import KeelsonTestSupport
import Testing

/// A person's day with Keelson: commits deploy, rollouts are followed, bad commits change nothing.
struct ReconcileCLITests {
    @Test func aCommitIsDeployedAndRecorded() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.writeService("web", app: "web")
        let commit = try scenario.push("web 1.0")
        try scenario.addApplication("web")

        let reconcile = try scenario.keelson("reconcile", "--wait")
        #expect(reconcile.status == 0, "\(reconcile.stderr)")
        #expect(reconcile.stdout.contains("deployment.apps/web created"))
        #expect(reconcile.stdout.contains("service/web created"))
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")

        let status = try scenario.status("web")
        #expect(status["sync"] as? String == "Synced")
        #expect(status["health"] as? String == "Healthy")
        #expect(status["appliedCommit"] as? String == commit)
        let history = try scenario.history("web")
        #expect(history.count == 1)
        #expect(history.first?["revision"] as? String == commit)
        #expect(history.first?["subject"] as? String == "web 1.0")
        #expect(history.first?["author"] as? String == "Ada Author")
        #expect(history.first?["initiator"] as? String == "auto")
        #expect(history.first?["outcome"] as? String == "Succeeded")
        #expect((history.first?["rollouts"] as? [[String: Any]])?.first?["revision"] as? Int == 1)
        #expect(history.first?["finishedAt"] != nil)

        let again = try scenario.keelson("reconcile", "--wait")
        #expect(again.stdout.contains("nothing to apply"))
        #expect(try scenario.history("web").count == 1)
    }

    @Test func aSecondCommitRollsOutOnlyWhatChanged() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "shop", image: "1.0")
        try scenario.writeDeployment("api", app: "shop", image: "1.0")
        try scenario.writeDeployment("other", app: "other", image: "1.0")
        try scenario.push("shop 1.0")
        try scenario.addApplication("shop")
        #expect(try scenario.keelson("reconcile", "shop", "--wait").status == 0)

        try scenario.writeDeployment("web", app: "shop", image: "1.1")
        try scenario.push("web 1.1")
        let reconcile = try scenario.keelson("reconcile", "shop", "--wait")
        #expect(reconcile.status == 0, "\(reconcile.stderr)")
        #expect(reconcile.stdout.contains("deployment.apps/web configured"))
        #expect(!reconcile.stdout.contains("deployment.apps/api"))
        #expect(try scenario.liveRevision("web") == "2")
        #expect(try scenario.liveRevision("api") == "1")
        let rollouts = try scenario.history("shop").first?["rollouts"] as? [[String: Any]]
        #expect(rollouts?.count == 1)
        #expect((rollouts?.first?["deployment"] as? [String: Any])?["name"] as? String == "web")

        // A commit to another application's folder deploys nothing here.
        try scenario.writeDeployment("other", app: "other", image: "2.0")
        let otherCommit = try scenario.push("other 2.0")
        #expect(try scenario.keelson("reconcile", "shop", "--wait").stdout.contains("nothing to apply"))
        #expect(try scenario.history("shop").count == 2)
        #expect(try scenario.status("shop")["appliedCommit"] as? String == otherCommit)
    }

    @Test func aYAMLErrorAtANewCommitChangesNothingLive() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.push("web 1.0")
        try scenario.addApplication("web")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)

        try scenario.writeDeployment("web", app: "web", image: "1.1")
        try scenario.repository.write("apps/web/broken.yaml", "kind: ConfigMap\nmetadata:\n  name: [oops\n")
        let broken = try scenario.push("web 1.1 with a typo")
        let reconcile = try scenario.keelson("reconcile", "--wait")
        #expect(reconcile.status == 1)
        #expect(reconcile.stderr.contains("apps/web/broken.yaml:4"))
        #expect(reconcile.stderr.contains("nothing applied"))
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try scenario.liveRevision("web") == "1")

        let status = try scenario.status("web")
        #expect(status["sync"] as? String == "Unknown")
        #expect(status["health"] as? String == "Healthy")
        let conditions = status["conditions"] as? [[String: Any]] ?? []
        #expect(conditions.first?["type"] as? String == "RenderError")
        #expect((conditions.first?["message"] as? String)?.contains("apps/web/broken.yaml:4") == true)
        let failed = try scenario.history("web").first
        #expect(failed?["revision"] as? String == broken)
        #expect(failed?["outcome"] as? String == "Failed")
        #expect((failed?["message"] as? String)?.contains("apps/web/broken.yaml:4") == true)

        // Reconciling again records the same failure once; a dry run records nothing.
        #expect(try scenario.keelson("reconcile").status == 1)
        #expect(try scenario.history("web").count == 2)
        let before = try scenario.status("web")["reconciledAt"] as? String
        #expect(try scenario.keelson("sync", "web", "--dry-run").status == 1)
        #expect(try scenario.status("web")["reconciledAt"] as? String == before)
        #expect(try scenario.history("web").count == 2)

        // An application whose folder disappears says so in its status.
        try scenario.repository.git("rm", "-r", "--quiet", "apps/web")
        try scenario.writeDeployment("other", app: "other", image: "1.0")
        try scenario.push("move web away")
        #expect(try scenario.keelson("reconcile").status == 2)
        #expect(try scenario.status("web")["sync"] as? String == "Unknown")
        #expect((try scenario.status("web")["message"] as? String)?.contains("cannot be rendered") == true)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
    }

    @Test func aNewCommitReplacesARolloutStillInProgress() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.push("web 1.0")
        try scenario.addApplication("web")
        #expect(try scenario.keelson("reconcile").status == 0)
        try scenario.writeDeployment("web", app: "web", image: "1.1")
        try scenario.push("web 1.1")
        let reconcile = try scenario.keelson("reconcile", "--wait")
        #expect(reconcile.status == 0, "\(reconcile.stdout)")
        let history = try scenario.history("web")
        #expect(history.map { $0["outcome"] as? String } == ["Succeeded", "Failed"])
        #expect(history.last?["supersededBy"] as? Int == 2)
    }

    @Test func driftIsReportedThenHealed() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0", replicas: 2)
        try scenario.push("web 1.0")
        try scenario.addApplication("web")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.keelson("cluster", "scale", "deployment", "web", "--replicas", "5").status == 0)

        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        let status = try scenario.status("web")
        #expect(status["sync"] as? String == "OutOfSync")
        let drift = (status["conditions"] as? [[String: Any]])?.first { $0["type"] as? String == "Drift" }
        #expect((drift?["message"] as? String)?.contains("spec.replicas: git has 2, live has 5") == true)
        let spec = try scenario.liveDeployment("web")?["spec"] as? [String: Any]
        #expect(spec?["replicas"] as? Int == 5)
        let diff = try scenario.keelson("diff", "web")
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("~ Deployment.apps/default/web (changed live)"))

        #expect(try scenario.keelson("app", "set", "web", "--self-heal").status == 0)
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        let healed = try scenario.liveDeployment("web")?["spec"] as? [String: Any]
        #expect(healed?["replicas"] as? Int == 2)
        #expect(try scenario.status("web")["sync"] as? String == "Synced")
        #expect(try scenario.keelson("diff", "web").status == 0)
    }

    @Test func objectsRemovedFromGitArePrunedButNeverAllOfThem() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.writeService("web", app: "web")
        try scenario.repository.write("apps/web/README.md", "The web application.\n")
        try scenario.push("web 1.0")
        try scenario.addApplication("web", "--prune")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)

        try scenario.repository.git("rm", "--quiet", "apps/web/web-service.yaml")
        try scenario.push("drop the service")
        let pruned = try scenario.keelson("reconcile", "--wait")
        #expect(pruned.stdout.contains("service/web pruned"))
        #expect(try scenario.keelson("cluster", "get", "service", "web").status != 0)

        try scenario.repository.git("rm", "--quiet", "apps/web/web.yaml")
        try scenario.push("drop everything")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.liveDeployment("web") != nil)
        let conditions = try scenario.status("web")["conditions"] as? [[String: Any]] ?? []
        #expect(conditions.contains { $0["type"] as? String == "PruneRefused" })

        #expect(try scenario.keelson("reconcile", "--allow-empty").stdout.contains("deployment.apps/web pruned"))
        #expect(try scenario.liveDeployment("web") == nil)
        #expect(try scenario.status("web")["sync"] as? String == "Synced")
    }

    @Test func manualApplicationsWaitForSyncAndSuspendedOnesAreSkipped() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.push("web 1.0")
        try scenario.addApplication("web", "--manual")

        #expect(try scenario.keelson("reconcile").status == 0)
        #expect(try scenario.liveDeployment("web") == nil)
        #expect(try scenario.status("web")["sync"] as? String == "OutOfSync")
        let dryRun = try scenario.keelson("sync", "web", "--dry-run")
        #expect(dryRun.stdout.contains("create Deployment.apps/default/web"))
        #expect(try scenario.liveDeployment("web") == nil)

        #expect(try scenario.keelson("sync", "web", "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try scenario.history("web").first?["initiator"] as? String == "manual")

        try scenario.writeDeployment("web", app: "web", image: "1.1")
        try scenario.push("web 1.1")
        #expect(try scenario.keelson("app", "set", "web", "--sync", "automated").status == 0)
        #expect(try scenario.keelson("suspend", "web").status == 0)
        #expect(try scenario.keelson("reconcile").stdout.contains("suspended: skipped"))
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try scenario.keelson("resume", "web").status == 0)
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.1")
    }

    @Test func diffExitsZeroOneOrTwo() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.push("web 1.0")
        try scenario.addApplication("web")
        let before = try scenario.keelson("diff", "web", "-o", "json")
        #expect(before.status == 1)
        #expect(before.stdout.contains("\"state\" : \"missing\""))
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.keelson("diff", "web").status == 0)
        let unknown = try scenario.keelson("diff", "nope")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no application \"nope\""))
    }

    @Test func withADaemonOnTheHomeWaitWatchesItsClock() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.push("web 1.0")
        try scenario.addApplication("web")
        do {
            let daemon = try DaemonLock.acquire(
                home: scenario.home.path, info: DaemonInfo(listenAddress: "127.0.0.1:0", simulationSpeed: 1000))
            // Nothing runs its clock here: --wait watches 10 simulated seconds (10 ms) and moves nothing.
            let waiting = try scenario.keelson("reconcile", "--wait", "--timeout", "10s")
            #expect(waiting.stderr.contains("rollouts still running after 10s"), "\(waiting.stderr)")
            #expect(try scenario.history("web").first?["outcome"] as? String == "Running")
            withExtendedLifetime(daemon) {}
        }
        // Without a daemon, --wait advances the clock itself.
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.history("web").first?["outcome"] as? String == "Succeeded")
    }
}
