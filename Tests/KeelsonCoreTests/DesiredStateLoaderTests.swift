import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonKubernetes
import KeelsonManifests
import KeelsonTestSupport
import Testing

struct DesiredStateLoaderTests {
    static func deployment(_ name: String, image: String, replicas: String = "2") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
        spec:
          replicas: \(replicas)
          selector:
            matchLabels: {app: \(name)}
          template:
            metadata:
              labels: {app: \(name)}
            spec:
              containers:
              - name: \(name)
                image: \(image)
        """
    }

    /// A loader keeping its state in `state`, and the mirror of `git` fetched at `main`.
    static func fetched(_ git: GitFixture, state: TemporaryFolder) async throws -> (DesiredStateLoader, GitMirror) {
        let loader = DesiredStateLoader(stateFolder: state.path)
        let mirror = try await loader.mirrors.mirror(for: RemoteURL(git.url))
        _ = try await mirror.fetch("main")
        return (loader, mirror)
    }

    @Test func rendersAnAppPathAndReparsesOnlyChangedBlobs() async throws {
        let git = try GitFixture()
        let state = try TemporaryFolder()
        try git.write("apps/web/deploy.yaml", Self.deployment("web", image: "registry.example.com/web:1.0.0"))
        try git.write("apps/web/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n")
        let first = try git.commitAndPush("initial")
        let (loader, mirror) = try await Self.fetched(git, state: state)

        let before = try await loader.render(mirror, commit: first, path: "apps/web")
        #expect(before.commit.subject == "initial")
        #expect(before.manifests.objects.map { "\($0.kind)/\($0.name)" } == ["Deployment/web", "Service/web"])
        #expect(loader.renderer.cache.statistics.parses == 2)

        try git.write("apps/web/deploy.yaml", Self.deployment("web", image: "registry.example.com/web:1.1.0"))
        let second = try git.commitAndPush("bump web")
        _ = try await mirror.fetch("main")
        let after = try await loader.render(mirror, commit: second, path: "apps/web")
        #expect(after.manifests.objects.first?.deployment?.template.containers.first?.image.hasSuffix(":1.1.0") == true)
        #expect(loader.renderer.cache.statistics.parses == 3)
    }

    @Test func invalidManifestsNameTheRepositoryFileAndLine() async throws {
        let git = try GitFixture()
        let state = try TemporaryFolder()
        try git.write("apps/web/deploy.yaml", Self.deployment("web", image: "web:1", replicas: "\"three\""))
        let head = try git.commitAndPush("broken")
        let (loader, mirror) = try await Self.fetched(git, state: state)
        let failure = try #require(
            await #expect(throws: RenderFailure.self) {
                try await loader.render(mirror, commit: head, path: "apps/web")
            })
        #expect(failure.errors.map(\.file) == ["apps/web/deploy.yaml"])
        #expect(failure.errors.first?.line == 6)
        #expect(failure.errors.first?.field == "spec.replicas")
    }

    @Test func rendersAKustomizationWhoseBaseLiesOutsideTheAppPath() async throws {
        let git = try GitFixture()
        let state = try TemporaryFolder()
        try git.write("bases/web/kustomization.yaml", "resources:\n- deploy.yaml\n")
        try git.write("bases/web/deploy.yaml", Self.deployment("web", image: "registry.example.com/web:1.0.0"))
        try git.write(
            "apps/web/kustomization.yaml",
            "resources:\n- ../../bases/web\nnamespace: shop\nimages:\n- name: registry.example.com/web\n  newTag: 1.1.0\n"
        )
        try git.write("apps/single.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: single\n")
        let head = try git.commitAndPush("kustomize")
        let (loader, mirror) = try await Self.fetched(git, state: state)

        let desired = try await loader.render(mirror, commit: head, path: "apps/web")
        let deployment = try #require(desired.manifests.objects.first)
        #expect(deployment.namespace == "shop")
        #expect(deployment.deployment?.template.containers.first?.image.hasSuffix(":1.1.0") == true)
        #expect(deployment.source == SourceLocation(file: "bases/web/deploy.yaml", line: 1))
        #expect(desired.manifests.sources == ["apps/web", "bases/web"])

        let single = try await loader.render(mirror, commit: head, path: "apps/single.yaml")
        #expect(single.manifests.objects.map(\.name) == ["single"])
    }

    @Test func aSymbolicLinkLeavingTheRepositoryIsRefusedByName() async throws {
        let git = try GitFixture()
        let state = try TemporaryFolder()
        try git.write("apps/web/kustomization.yaml", "resources:\n- link.yaml\n")
        try FileManager.default.createSymbolicLink(
            atPath: git.workPath + "/apps/web/link.yaml", withDestinationPath: "../../../outside.yaml")
        let head = try git.commitAndPush("link out")
        let (loader, mirror) = try await Self.fetched(git, state: state)
        let failure = try #require(
            await #expect(throws: RenderFailure.self) {
                try await loader.render(mirror, commit: head, path: "apps/web")
            })
        #expect(failure.errors.map(\.file) == ["apps/web/kustomization.yaml"])
        #expect(failure.errors.first?.line == 2)
        #expect(failure.errors.first?.field == "resources[0]")
        #expect(failure.errors.first?.message.contains("outside the repository") == true)
    }
}
