import Foundation
import KeelsonTestSupport
import Testing

/// Overlays whose change was in their kustomize base: a rollback, its pin and `--revert-commit`
/// follow every path the render read, not only the application's own folder.
struct RollbackThroughBaseTests {
    /// `web` as an overlay of `bases/web`; and `api`, another overlay of the same base when `shared`.
    private func overlay(shared: Bool = false) async throws -> GitOpsScenario {
        let scenario = try GitOpsScenario()
        try baseImage(scenario, "1.0")
        try scenario.repository.write("bases/web/kustomization.yaml", "resources: [deployment.yaml]\n")
        try scenario.repository.write(
            "apps/web/kustomization.yaml", "resources: [../../bases/web]\nnamePrefix: prod-\n")
        if shared {
            try scenario.repository.write(
                "apps/api/kustomization.yaml", "resources: [../../bases/web]\nnamePrefix: staging-\n")
        }
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        if shared { try await scenario.addApplication("api") }
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        try baseImage(scenario, "2.0")
        try await scenario.push("web 2.0 in the base")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.liveImage("prod-web") == "registry.example.com/web:2.0")
        return scenario
    }

    private func baseImage(_ scenario: GitOpsScenario, _ tag: String) throws {
        try scenario.repository.write(
            "bases/web/deployment.yaml", TestManifests.deployment("web", image: "registry.example.com/web:\(tag)"))
    }

    @Test func aRollbackFindsTheReleaseBeforeABaseChangeAndHoldsUntilTheBaseMovesAgain() async throws {
        let scenario = try await overlay()
        let rollback = try await scenario.keelson("rollback", "web", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try await scenario.liveImage("prod-web") == "registry.example.com/web:1.0")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.liveImage("prod-web") == "registry.example.com/web:1.0")

        // A new commit to the base is a new commit for the overlay: the pin is released.
        try baseImage(scenario, "3.0")
        try await scenario.push("web 3.0 in the base")
        let released = try await scenario.keelson("reconcile", "--wait")
        #expect(released.stdout.contains("is released"), "\(released.stdout)")
        #expect(try await scenario.liveImage("prod-web") == "registry.example.com/web:3.0")
    }

    @Test func aRevertCommitWritesTheBaseBack() async throws {
        let scenario = try await overlay()
        let rollback = try await scenario.keelson("rollback", "web", "--revert-commit", "--wait")
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(try scenario.repository.gitRemote("show", "main:bases/web/deployment.yaml").contains("web:1.0"))
        #expect(try await scenario.liveImage("prod-web") == "registry.example.com/web:1.0")
        let status = try await scenario.status("web")
        #expect(status["sync"] as? String == "Synced")
        #expect(status["pin"] == nil)
        #expect(try await scenario.keelson("reconcile", "--wait").stdout.contains("nothing to apply"))
        #expect(try await scenario.liveImage("prod-web") == "registry.example.com/web:1.0")
    }

    @Test func aRevertCommitRefusesToRewriteABaseAnotherApplicationReads() async throws {
        let scenario = try await overlay(shared: true)
        let before = try scenario.repository.gitRemote("rev-parse", "main")
        let rollback = try await scenario.keelson("rollback", "web", "--revert-commit")
        #expect(rollback.status == 2)
        #expect(rollback.stderr.contains("bases/web"), "\(rollback.stderr)")
        #expect(rollback.stderr.contains("api"), "\(rollback.stderr)")
        #expect(try scenario.repository.gitRemote("rev-parse", "main") == before)
        #expect(try await scenario.liveImage("prod-web") == "registry.example.com/web:2.0")
        #expect(try await scenario.history("web").count == 2)
    }
}
