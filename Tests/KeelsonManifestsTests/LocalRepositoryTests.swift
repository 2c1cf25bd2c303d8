import Foundation
import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

/// Local folders as repositories: where the repository starts, and what may not be read.
struct LocalRepositoryTests {
    /// A fresh folder with `files` written in it, removed after `body`.
    static func withFolder(
        _ files: [String: String], _ body: (String) async throws -> Void
    ) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("keelson-local-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try await body(root.path)
    }

    @Test func theRepositoryIsTheGitCheckoutAroundTheFolderOrElseTheFolder() async throws {
        try await Self.withFolder([
            "repo/.git/HEAD": "ref: refs/heads/main\n", "repo/apps/web/a.yaml": "", "plain/a.yaml": "",
        ]) {
            root in
            let (inGit, path) = LocalRepository.enclosing(root + "/repo/apps/web")
            #expect(inGit.root == root + "/repo")
            #expect(path == root + "/repo/apps/web")
            let (alone, plainPath) = LocalRepository.enclosing(root + "/plain")
            #expect(alone.root == root + "/plain")
            #expect(plainPath == root + "/plain")
            let (forFile, filePath) = LocalRepository.enclosing(root + "/plain/a.yaml")
            #expect(forFile.root == root + "/plain")
            #expect(filePath == root + "/plain/a.yaml")
        }
    }

    @Test func aKustomizationReadsBasesBesideItsFolderInsideTheCheckout() async throws {
        try await Self.withFolder([
            "repo/.git/HEAD": "ref: refs/heads/main\n",
            "repo/base/kustomization.yaml": "resources:\n- config.yaml\n",
            "repo/base/config.yaml": KustomizeRefusalTests.configMap,
            "repo/prod/kustomization.yaml": "resources:\n- ../base\nnamespace: prod\n",
        ]) { root in
            let (repository, path) = LocalRepository.enclosing(root + "/repo/prod")
            let rendered = try await ManifestRenderer().render(path: path, in: repository)
            #expect(rendered.objects.map { "\($0.namespace ?? "-")/\($0.name)" } == ["prod/settings"])
            #expect(rendered.objects.first?.source == SourceLocation(file: root + "/repo/base/config.yaml", line: 1))
            #expect(rendered.sources == [root + "/repo/base", root + "/repo/prod"])
        }
    }

    @Test func aSymbolicLinkLeadingOutsideTheRepositoryIsRefused() async throws {
        try await Self.withFolder([
            "secret.yaml": KustomizeRefusalTests.configMap,
            "repo/.git/HEAD": "ref: refs/heads/main\n",
            "repo/app/kustomization.yaml": "resources:\n- link.yaml\n",
        ]) { root in
            try FileManager.default.createSymbolicLink(
                atPath: root + "/repo/app/link.yaml", withDestinationPath: root + "/secret.yaml")
            let (repository, path) = LocalRepository.enclosing(root + "/repo/app")
            let failure = try #require(
                await #expect(throws: RenderFailure.self) {
                    try await ManifestRenderer().render(path: path, in: repository)
                })
            let resolved = URL(fileURLWithPath: root + "/secret.yaml").resolvingSymlinksInPath().path
            #expect(
                failure.errors.map(\.description) == [
                    "\(root)/repo/app/kustomization.yaml:2: resources[0]: \(root)/repo/app/link.yaml: expected a file inside the repository, found a symbolic link to \(resolved)"
                ])
        }
    }
}
