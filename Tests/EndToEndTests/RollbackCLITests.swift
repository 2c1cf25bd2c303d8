import Foundation
import KeelsonTestSupport
import Testing

/// Going back: by hand (pinned, or written to git) and automatically when a rollout fails.
struct RollbackCLITests {
    /// A scenario with `web` deployed at 1.0 and then 2.0; returns the two commits.
    private func deployedTwice() async throws -> (GitOpsScenario, String, String) {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try scenario.writeDeployment("other", app: "other", image: "1.0")
        let first = try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let second = try await scenario.push("web 2.0")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
        return (scenario, first, second)
    }

    @Test func aForcedRollbackSticksAcrossReconcilesUntilANewCommit() async throws {
        let (scenario, first, second) = try await deployedTwice()
        let rollback = try await scenario.keelson("rollback", "web", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")

        for _ in 0..<2 {
            #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
            #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        }
        let status = try await scenario.status("web")
        #expect(status["sync"] as? String == "OutOfSync")
        #expect(
            status["message"] as? String
                == "pinned to \(first.prefix(7)) by rollback; branch is at \(second.prefix(7)) "
                + "(keelson resume web to follow it)")
        let history = try await scenario.history("web")
        #expect(history.map { $0["initiator"] as? String } == ["rollback", "auto", "auto"])
        #expect(history.map { $0["outcome"] as? String } == ["Succeeded", "RolledBack", "Succeeded"])

        // A commit to another application's folder is not a new commit for this one.
        try scenario.writeDeployment("other", app: "other", image: "2.0")
        try await scenario.push("other 2.0")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")

        try scenario.writeDeployment("web", app: "web", image: "3.0")
        try await scenario.push("web 3.0")
        let released = try await scenario.keelson("reconcile", "--wait")
        #expect(released.stdout.contains("is released"))
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:3.0")
        #expect(try await scenario.status("web")["sync"] as? String == "Synced")
        #expect(try await scenario.status("web")["pin"] == nil)
    }

    @Test func aRollbackGoesBackToOtherContentNotJustAnotherCommit() async throws {
        let (scenario, first, second) = try await deployedTwice()
        try scenario.writeDeployment("other", app: "other", image: "2.0")
        try await scenario.push("other 2.0")
        #expect(try await scenario.keelson("reconcile", "--wait").stdout.contains("nothing to apply"))
        // The status and history name the commit that changed web, not the branch head.
        #expect(
            (try await scenario.status("web")["message"] as? String)?.hasPrefix("live matches \(second.prefix(7))")
                == true)

        let rollback = try await scenario.keelson("rollback", "web", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        let entry = try await scenario.history("web").first
        #expect(entry?["revision"] as? String == first)
        #expect(entry?["subject"] as? String == "web 1.0")
    }

    @Test func resumeReleasesThePin() async throws {
        let (scenario, _, _) = try await deployedTwice()
        #expect(try await scenario.keelson("rollback", "web", "1", "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try await scenario.keelson("resume", "web").stdout.contains("released"))
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
    }

    @Test func aRollbackWorksWhileGitIsUnreachable() async throws {
        let (scenario, _, _) = try await deployedTwice()
        let remote = scenario.repository.remotePath
        try FileManager.default.moveItem(atPath: remote, toPath: remote + ".away")
        defer { try? FileManager.default.moveItem(atPath: remote + ".away", toPath: remote) }

        let rollback = try await scenario.keelson("rollback", "web", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(rollback.stdout.contains("git is unreachable"))
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")

        // A reconcile cannot fetch: it says so and changes nothing.
        let reconcile = try await scenario.keelson("reconcile")
        #expect(reconcile.status == 2)
        #expect(try await scenario.status("web")["sync"] as? String == "Unknown")
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
    }

    @Test func revertCommitLandsInTheRemotesLog() async throws {
        let (scenario, first, _) = try await deployedTwice()
        let rollback = try await scenario.keelson("rollback", "web", "1", "--revert-commit", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        let subject = try scenario.repository.gitRemote("log", "-1", "--format=%s", "main")
        #expect(subject == "Roll back apps/web to \(first.prefix(7))\n")
        let restored = try scenario.repository.gitRemote("show", "main:apps/web/web.yaml")
        #expect(restored.contains("image: registry.example.com/web:1.0"))
        // The other application's folder is untouched by the revert.
        #expect(try scenario.repository.gitRemote("show", "main:apps/other/other.yaml").contains("other:1.0"))

        let status = try await scenario.status("web")
        #expect(status["pin"] == nil)
        #expect(status["sync"] as? String == "Synced")
        #expect(try await scenario.keelson("reconcile", "--wait").stdout.contains("nothing to apply"))
    }

    @Test func aBrokenImageIsRolledBackAutomaticallyAndNotRetried() async throws {
        let (scenario, _, second) = try await deployedTwice()
        #expect(
            try await scenario.keelson(
                "cluster", "fault", "add", "registry.example.com/web:*-broken", "--mode", "crash-loop"
            )
            .status == 0)
        try scenario.writeDeployment("web", app: "web", image: "3.0-broken")
        let broken = try await scenario.push("web 3.0")
        let reconcile = try await scenario.keelson("reconcile", "--wait")
        #expect(reconcile.status == 1)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
        let history = try await scenario.history("web")
        #expect(history[0]["initiator"] as? String == "auto-rollback")
        #expect(history[0]["outcome"] as? String == "Succeeded")
        #expect(history[0]["revision"] as? String == second)
        #expect(history[1]["revision"] as? String == broken)
        #expect(history[1]["outcome"] as? String == "Failed")
        #expect((history[1]["message"] as? String)?.contains("CrashLoopBackOff") == true)
        let status = try await scenario.status("web")
        #expect(status["health"] as? String == "Healthy")
        #expect((status["message"] as? String)?.hasPrefix("pinned to \(second.prefix(7)) by auto-rollback") == true)

        // The failed commit is not tried again.
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.history("web").count == history.count)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")

        // A fix is tried normally.
        try scenario.writeDeployment("web", app: "web", image: "3.1")
        try await scenario.push("web 3.1")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:3.1")
        #expect(try await scenario.history("web").first?["outcome"] as? String == "Succeeded")
    }

    @Test func aMissedProgressDeadlineIsRolledBackToo() async throws {
        let (scenario, _, _) = try await deployedTwice()
        #expect(
            try await scenario.keelson(
                "cluster", "fault", "add", "registry.example.com/web:4.0", "--mode", "never-ready"
            )
            .status == 0)
        try scenario.writeDeployment("web", app: "web", image: "4.0", progressDeadlineSeconds: 30)
        try await scenario.push("web 4.0")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 1)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
        let failed = try await scenario.history("web")[1]
        #expect((failed["message"] as? String)?.contains("ProgressDeadlineExceeded") == true)
    }

    @Test func withoutAutoRollbackAFailedRolloutStaysAndIsReported() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web", "--no-auto-rollback")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        _ = try await scenario.keelson(
            "cluster", "fault", "add", "registry.example.com/web:2.0", "--mode", "crash-loop")
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        try await scenario.push("web 2.0")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 1)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
        let status = try await scenario.status("web")
        #expect(status["health"] as? String == "Degraded")
        #expect((status["message"] as? String)?.hasPrefix("rollout failed") == true)
    }
}

/// Syncing another revision by hand, and following a rollout.
struct SyncRevisionCLITests {
    @Test func syncingAnOlderRevisionPinsItThere() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        let first = try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let second = try await scenario.push("web 2.0")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)

        #expect(try await scenario.keelson("sync", "web", "--revision", String(first.prefix(7)), "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:1.0")
        #expect(
            (try await scenario.status("web")["message"] as? String)?.hasPrefix(
                "pinned to \(first.prefix(7)) by sync --revision; branch is at \(second.prefix(7))") == true)

        // Syncing the branch by name replaces the pin rather than keeping it.
        #expect(try await scenario.keelson("sync", "web", "--revision", "main", "--wait").status == 0)
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
        #expect(try await scenario.status("web")["pin"] == nil)
        #expect(try await scenario.keelson("sync", "web", "--revision", String(first.prefix(7)), "--wait").status == 0)

        // A plain sync goes back to the branch.
        let sync = try await scenario.keelson("sync", "web", "--wait")
        #expect(sync.stdout.contains("sync releases the pin"))
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
    }

    @Test func rolloutStatusFollowsARolloutLineByLine() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0", replicas: 3)
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        try scenario.writeDeployment("web", app: "web", image: "1.1", replicas: 3)
        try await scenario.push("web 1.1")
        #expect(try await scenario.keelson("reconcile").status == 0)
        #expect(try await scenario.history("web").first?["outcome"] as? String == "Running")

        let watch = try await scenario.keelson("rollout", "status", "web", "--watch")
        #expect(watch.status == 0, "\(watch.stderr)")
        let lines = watch.stdout.split(separator: "\n")
        #expect(lines.count > 2)
        #expect(lines.first?.contains("updated 0/3") == true)
        #expect(lines.contains { $0.contains("updated 1/3") })
        #expect(lines.last == "web  revision 2  updated 3/3  ready 3/3  available 3/3  Healthy")

        // The next reconcile records how it ended.
        #expect(try await scenario.keelson("reconcile").status == 0)
        #expect(try await scenario.history("web").first?["outcome"] as? String == "Succeeded")
    }
}
