import Foundation
import KeelsonTestSupport
import Testing

/// Going back: by hand (pinned, or written to git) and automatically when a rollout fails.
struct RollbackCLITests {
    /// A scenario with `web` deployed at 1.0 and then 2.0; returns the two commits.
    private func deployedTwice() throws -> (GitOpsScenario, String, String) {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.writeDeployment("other", app: "other", image: "1.0")
        let first = try scenario.push("web 1.0")
        try scenario.addApplication("web")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let second = try scenario.push("web 2.0")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:2.0")
        return (scenario, first, second)
    }

    @Test func aForcedRollbackSticksAcrossReconcilesUntilANewCommit() throws {
        let (scenario, first, second) = try deployedTwice()
        let rollback = try scenario.keelson("rollback", "web", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")

        for _ in 0..<2 {
            #expect(try scenario.keelson("reconcile", "--wait").status == 0)
            #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
        }
        let status = try scenario.status("web")
        #expect(status["sync"] as? String == "OutOfSync")
        #expect(
            status["message"] as? String
                == "pinned to \(first.prefix(7)) by rollback; branch is at \(second.prefix(7)) "
                + "(keelson resume web to follow it)")
        let history = try scenario.history("web")
        #expect(history.map { $0["initiator"] as? String } == ["rollback", "auto", "auto"])
        #expect(history.map { $0["outcome"] as? String } == ["Succeeded", "RolledBack", "Succeeded"])

        // A commit to another application's folder is not a new commit for this one.
        try scenario.writeDeployment("other", app: "other", image: "2.0")
        try scenario.push("other 2.0")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")

        try scenario.writeDeployment("web", app: "web", image: "3.0")
        try scenario.push("web 3.0")
        let released = try scenario.keelson("reconcile", "--wait")
        #expect(released.stdout.contains("is released"))
        #expect(try scenario.liveImage("web") == "registry.example.com/web:3.0")
        #expect(try scenario.status("web")["sync"] as? String == "Synced")
        #expect(try scenario.status("web")["pin"] == nil)
    }

    @Test func aRollbackGoesBackToOtherContentNotJustAnotherCommit() throws {
        let (scenario, first, second) = try deployedTwice()
        try scenario.writeDeployment("other", app: "other", image: "2.0")
        try scenario.push("other 2.0")
        #expect(try scenario.keelson("reconcile", "--wait").stdout.contains("nothing to apply"))
        // The status and history name the commit that changed web, not the branch head.
        #expect(
            (try scenario.status("web")["message"] as? String)?.hasPrefix("live matches \(second.prefix(7))") == true)

        let rollback = try scenario.keelson("rollback", "web", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
        let entry = try scenario.history("web").first
        #expect(entry?["revision"] as? String == first)
        #expect(entry?["subject"] as? String == "web 1.0")
    }

    @Test func resumeReleasesThePin() throws {
        let (scenario, _, _) = try deployedTwice()
        #expect(try scenario.keelson("rollback", "web", "1", "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try scenario.keelson("resume", "web").stdout.contains("released"))
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:2.0")
    }

    @Test func aRollbackWorksWhileGitIsUnreachable() throws {
        let (scenario, _, _) = try deployedTwice()
        let remote = scenario.repository.remotePath
        try FileManager.default.moveItem(atPath: remote, toPath: remote + ".away")
        defer { try? FileManager.default.moveItem(atPath: remote + ".away", toPath: remote) }

        let rollback = try scenario.keelson("rollback", "web", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(rollback.stdout.contains("git is unreachable"))
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")

        // A reconcile cannot fetch: it says so and changes nothing.
        let reconcile = try scenario.keelson("reconcile")
        #expect(reconcile.status == 2)
        #expect(try scenario.status("web")["sync"] as? String == "Unknown")
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
    }

    @Test func revertCommitLandsInTheRemotesLog() throws {
        let (scenario, first, _) = try deployedTwice()
        let rollback = try scenario.keelson("rollback", "web", "1", "--revert-commit", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
        let subject = try scenario.repository.gitRemote("log", "-1", "--format=%s", "main")
        #expect(subject == "Roll back apps/web to \(first.prefix(7))\n")
        let restored = try scenario.repository.gitRemote("show", "main:apps/web/web.yaml")
        #expect(restored.contains("image: registry.example.com/web:1.0"))
        // The other application's folder is untouched by the revert.
        #expect(try scenario.repository.gitRemote("show", "main:apps/other/other.yaml").contains("other:1.0"))

        let status = try scenario.status("web")
        #expect(status["pin"] == nil)
        #expect(status["sync"] as? String == "Synced")
        #expect(try scenario.keelson("reconcile", "--wait").stdout.contains("nothing to apply"))
    }

    @Test func aBrokenImageIsRolledBackAutomaticallyAndNotRetried() throws {
        let (scenario, _, second) = try deployedTwice()
        #expect(
            try scenario.keelson("cluster", "fault", "add", "registry.example.com/web:*-broken", "--mode", "crash-loop")
                .status == 0)
        try scenario.writeDeployment("web", app: "web", image: "3.0-broken")
        let broken = try scenario.push("web 3.0")
        let reconcile = try scenario.keelson("reconcile", "--wait")
        #expect(reconcile.status == 1)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:2.0")
        let history = try scenario.history("web")
        #expect(history[0]["initiator"] as? String == "auto-rollback")
        #expect(history[0]["outcome"] as? String == "Succeeded")
        #expect(history[0]["revision"] as? String == second)
        #expect(history[1]["revision"] as? String == broken)
        #expect(history[1]["outcome"] as? String == "Failed")
        #expect((history[1]["message"] as? String)?.contains("CrashLoopBackOff") == true)
        let status = try scenario.status("web")
        #expect(status["health"] as? String == "Healthy")
        #expect((status["message"] as? String)?.hasPrefix("pinned to \(second.prefix(7)) by auto-rollback") == true)

        // The failed commit is not tried again.
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.history("web").count == history.count)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:2.0")

        // A fix is tried normally.
        try scenario.writeDeployment("web", app: "web", image: "3.1")
        try scenario.push("web 3.1")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:3.1")
        #expect(try scenario.history("web").first?["outcome"] as? String == "Succeeded")
    }

    @Test func aMissedProgressDeadlineIsRolledBackToo() throws {
        let (scenario, _, _) = try deployedTwice()
        #expect(
            try scenario.keelson("cluster", "fault", "add", "registry.example.com/web:4.0", "--mode", "never-ready")
                .status == 0)
        try scenario.writeDeployment("web", app: "web", image: "4.0", progressDeadlineSeconds: 30)
        try scenario.push("web 4.0")
        #expect(try scenario.keelson("reconcile", "--wait").status == 1)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:2.0")
        let failed = try scenario.history("web")[1]
        #expect((failed["message"] as? String)?.contains("ProgressDeadlineExceeded") == true)
    }

    @Test func withoutAutoRollbackAFailedRolloutStaysAndIsReported() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.push("web 1.0")
        try scenario.addApplication("web", "--no-auto-rollback")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        _ = try scenario.keelson("cluster", "fault", "add", "registry.example.com/web:2.0", "--mode", "crash-loop")
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        try scenario.push("web 2.0")
        #expect(try scenario.keelson("reconcile", "--wait").status == 1)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:2.0")
        let status = try scenario.status("web")
        #expect(status["health"] as? String == "Degraded")
        #expect((status["message"] as? String)?.hasPrefix("rollout failed") == true)
    }
}

/// Syncing another revision by hand, and following a rollout.
struct SyncRevisionCLITests {
    @Test func syncingAnOlderRevisionPinsItThere() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        let first = try scenario.push("web 1.0")
        try scenario.addApplication("web")
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let second = try scenario.push("web 2.0")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)

        #expect(try scenario.keelson("sync", "web", "--revision", String(first.prefix(7)), "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(
            (try scenario.status("web")["message"] as? String)?.hasPrefix(
                "pinned to \(first.prefix(7)) by sync --revision; branch is at \(second.prefix(7))") == true)

        // Syncing the branch by name replaces the pin rather than keeping it.
        #expect(try scenario.keelson("sync", "web", "--revision", "main", "--wait").status == 0)
        #expect(try scenario.liveImage("web") == "registry.example.com/web:2.0")
        #expect(try scenario.status("web")["pin"] == nil)
        #expect(try scenario.keelson("sync", "web", "--revision", String(first.prefix(7)), "--wait").status == 0)

        // A plain sync goes back to the branch.
        let sync = try scenario.keelson("sync", "web", "--wait")
        #expect(sync.stdout.contains("sync releases the pin"))
        #expect(try scenario.liveImage("web") == "registry.example.com/web:2.0")
    }

    @Test func rolloutStatusFollowsARolloutLineByLine() throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0", replicas: 3)
        try scenario.push("web 1.0")
        try scenario.addApplication("web")
        #expect(try scenario.keelson("reconcile", "--wait").status == 0)
        try scenario.writeDeployment("web", app: "web", image: "1.1", replicas: 3)
        try scenario.push("web 1.1")
        #expect(try scenario.keelson("reconcile").status == 0)
        #expect(try scenario.history("web").first?["outcome"] as? String == "Running")

        let watch = try scenario.keelson("rollout", "status", "web", "--watch")
        #expect(watch.status == 0, "\(watch.stderr)")
        let lines = watch.stdout.split(separator: "\n")
        #expect(lines.count > 2)
        #expect(lines.first?.contains("updated 0/3") == true)
        #expect(lines.contains { $0.contains("updated 1/3") })
        #expect(lines.last == "web  revision 2  updated 3/3  ready 3/3  available 3/3  Healthy")

        // The next reconcile records how it ended.
        #expect(try scenario.keelson("reconcile").status == 0)
        #expect(try scenario.history("web").first?["outcome"] as? String == "Succeeded")
    }
}
