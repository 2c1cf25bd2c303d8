import Foundation
import KeelsonTestSupport
import Testing

/// Applications kept as kustomize overlays over a shared base.
struct KustomizeCLITests {
    @Test func anOverlayFollowsItsBaseAndATagBumpIsAnImageOnlyDiff() async throws {
        let scenario = try GitOpsScenario()
        let repository = scenario.repository
        try repository.write(
            "bases/web/deployment.yaml", TestManifests.deployment("web", image: "registry.example.com/web:0.1"))
        try repository.write("bases/web/kustomization.yaml", "resources: [deployment.yaml]\n")
        func overlay(tag: String) throws {
            try repository.write(
                "apps/web/kustomization.yaml",
                """
                resources: [../../bases/web]
                namePrefix: prod-
                images:
                  - name: registry.example.com/web
                    newTag: "\(tag)"
                """)
        }
        try overlay(tag: "1.0")
        try await scenario.push("web overlay 1.0")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        #expect(try await scenario.liveImage("prod-web") == "registry.example.com/web:1.0")
        #expect((try await scenario.status("web")["sources"] as? [String]) == ["apps/web", "bases/web"])

        // A tag bump in the overlay's images: only the image differs.
        try overlay(tag: "1.1")
        try await scenario.push("web 1.1")
        let diff = try await scenario.keelson("diff", "web")
        #expect(diff.status == 1)
        #expect(
            diff.stdout
                == """
                ~ Deployment.apps/default/prod-web (changed in git)
                    spec.template.spec.containers[name=web].image: git has "registry.example.com/web:1.1", \
                live has "registry.example.com/web:1.0"

                """)
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)

        // A commit to the base alone is a new commit for the overlay.
        try repository.write(
            "bases/web/deployment.yaml",
            try String(contentsOfFile: repository.workPath + "/bases/web/deployment.yaml", encoding: .utf8)
                .replacingOccurrences(of: "replicas: 2", with: "replicas: 3"))
        let base = try await scenario.push("base: 3 replicas")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        let spec = try await scenario.liveDeployment("prod-web")?["spec"] as? [String: Any]
        #expect(spec?["replicas"] as? Int == 3)
        #expect(try await scenario.history("web").first?["revision"] as? String == base)
    }
}
