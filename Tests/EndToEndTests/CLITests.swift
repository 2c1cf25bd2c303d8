import Foundation
import KeelsonTestSupport
import Testing

/// The command line as people use it: output, stderr and exit codes of the built binary.
struct CLITests {
    @Test func versionNamesLibgit2() async throws {
        let home = try TemporaryFolder()
        let outcome = try await KeelsonCLI.run("version", home: home.path)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("libgit2 1."))
    }

    @Test func renderListsObjectsOfAValidFolder() async throws {
        let home = try TemporaryFolder()
        let outcome = try await KeelsonCLI.run(
            "render", "./manifests/apps/api", in: KeelsonCLI.repositoryRoot, home: home.path)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("Deployment  -          api"))
        #expect(outcome.stdout.contains("ConfigMap"))
    }

    @Test func renderReportsEveryErrorAndExitsOne() async throws {
        let home = try TemporaryFolder()
        let folder = try TemporaryFolder()
        try Data(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: Web_App
            spec:
              replicas: "three"
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: web:1}]
            """.utf8
        ).write(to: URL(fileURLWithPath: folder.appending("deploy.yaml")))
        let outcome = try await KeelsonCLI.run("render", folder.path, home: home.path)
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("\(folder.path)/deploy.yaml:4: metadata.name:"))
        #expect(outcome.stderr.contains("\(folder.path)/deploy.yaml:6: spec.replicas: expected an integer"))
        #expect(outcome.stderr.contains("2 manifest errors"))
    }

    @Test func renderBuildsALocalKustomizationWithBasesFromItsCheckout() async throws {
        let home = try TemporaryFolder()
        let git = try GitFixture()
        try git.write("base/kustomization.yaml", "resources:\n- deploy.yaml\n")
        try git.write("base/deploy.yaml", deployment)
        try git.write(
            "overlays/prod/kustomization.yaml",
            "resources:\n- ../../base\nnamespace: prod\nimages:\n- name: registry.example.com/web\n  newTag: \"2.0\"\n")
        let outcome = try await KeelsonCLI.run("render", "overlays/prod", in: git.workPath, home: home.path)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("prod       web   replicas=1 images=registry.example.com/web:2.0"))

        try git.write("overlays/prod/kustomization.yaml", "resources:\n- ../../base\nhelmCharts:\n- name: redis\n")
        let refused = try await KeelsonCLI.run("render", "overlays/prod", in: git.workPath, home: home.path)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "overlays/prod/kustomization.yaml:3: helmCharts: not supported by Keelson (render the chart and commit its output, or remove the field)"
            ))
    }

    @Test func usageAndMissingInputExitTwo() async throws {
        let home = try TemporaryFolder()
        #expect(try await KeelsonCLI.run("render", home: home.path).status == 2)
        let missing = try await KeelsonCLI.run("render", "/nonexistent/keelson", home: home.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/keelson: no such file or folder"))
    }

    @Test func fetchThenRenderFromGit() async throws {
        let home = try TemporaryFolder()
        let git = try GitFixture()
        try git.write("apps/web/deploy.yaml", deployment)
        try git.commitAndPush("web 1.0")
        let first = try await KeelsonCLI.run("fetch", git.url, home: home.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("cloned: received"))
        let again = try await KeelsonCLI.run("fetch", git.url, home: home.path)
        #expect(again.stdout.contains("the remote has not moved: nothing downloaded"))
        let rendered = try await KeelsonCLI.run(
            "render", "--repo", git.url, "--path", "apps/web", "-o", "json", home: home.path)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let list = try JSONSerialization.jsonObject(with: Data(rendered.stdout.utf8)) as? [String: Any]
        #expect(list?["kind"] as? String == "List")
        #expect((list?["items"] as? [Any])?.count == 1)
    }

    @Test func fetchErrorsSayWhatIsWrongAndExitTwo() async throws {
        let home = try TemporaryFolder()
        let git = try GitFixture()
        try git.write("a.yaml", "a: 1")
        try git.commitAndPush("one")
        let outcome = try await KeelsonCLI.run("fetch", git.url, "--revision", "release", home: home.path)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("has no branch or tag 'release' (branches: main)"))
        #expect(outcome.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1)
    }

    @Test func theDemoTellsTheWholeStory() async throws {
        let home = try TemporaryFolder()
        let outcome = try await KeelsonCLI.run("demo", in: KeelsonCLI.repositoryRoot, home: home.path)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let story = outcome.stdout
        #expect(story.contains("deployment.apps/guestbook created"))
        #expect(story.contains("api  revision 2  updated 1/3"))
        #expect(story.contains("#2 auto") && story.contains("Succeeded (api revision 2)"))
        #expect(story.contains("CrashLoopBackOff"))
        #expect(story.contains("Succeeded (api revision 4): rollout of #3"))
        #expect(story.contains("pinned to") && story.contains("by auto-rollback"))
        #expect(story.contains("refused; nothing applied"))
        #expect(story.contains("#7 rollback"))
        #expect(story.contains("and the scheduled reconcile keeps it:\n   api: "))
        #expect(outcome.stdout.contains("spec.replicas: expected an integer"))
    }

    let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: registry.example.com/web:1.0}]
        """
}
