import Foundation
import Testing

@testable import KeelsonManifests

/// Cases ported from kustomize's own test suite (`Fixtures/kustomize/README.md` names the source of each): every
/// folder holds a test's input files and, in `expected.yaml`, the `kustomize build` output the Go test asserts.
///
/// The kustomize stage is compared, before Keelson validates the objects: kustomize's tests use objects
/// Keelson would refuse (names such as `myService`, Deployments without selectors).
struct KustomizeFixtureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// The folder `kustomize build` is run on, inside the case's folder.
        let build: String

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "order-preserved", build: "app/prod"),
        Case(name: "tiny-overlay", build: "overlay"),
        Case(name: "small-base", build: "app/base"),
        Case(name: "small-overlay", build: "app/overlay"),
        Case(name: "small-overlay-json-patch", build: "app/overlay"),
        Case(name: "simple-multiple-patches", build: "overlay"),
        Case(name: "patch-delete-directive", build: "overlay/staging"),
        Case(name: "non-commutable-patches", build: "overlay/staging"),
        Case(name: "remove-empty-dir-with-null", build: ""),
        Case(name: "volume-remove-empty-dir-in-overlay", build: "overlay"),
        Case(name: "patches-in-one-file", build: "overlay"),
        Case(name: "patches-without-target", build: "overlay"),
        Case(name: "name-reference-prefix-suffix-namespace", build: ""),
        Case(name: "name-and-namespace", build: ""),
        Case(name: "generator-basics", build: ""),
        Case(name: "generator-int-vs-string", build: ""),
        Case(name: "generator-env-file-merge", build: "overlay"),
        Case(name: "generator-merge-into-resource", build: ""),
        Case(name: "generator-simple-overlay", build: "overlay"),
        Case(name: "generator-binary-data", build: "overlay"),
        Case(name: "generator-overlays", build: "overlay"),
        Case(name: "generator-merge-name-prefix", build: ""),
        Case(name: "secret-generator", build: "app"),
        Case(name: "generator-options-with-bases", build: "app/overlay"),
        Case(name: "images", build: "app/base"),
        Case(name: "json-patch-and-image-tag", build: "app"),
        Case(name: "labels", build: "app"),
        Case(name: "strategic-merge-inline", build: "app/base"),
        Case(name: "json-patch-inline", build: "app/base"),
        Case(name: "patches-json-with-target", build: "app/base"),
        Case(name: "patches-strategic-merge-with-target", build: "app/base"),
        Case(name: "transformer-custom-prefixer", build: "app"),
        Case(name: "transformers-reusable", build: "app/staging"),
        Case(name: "transformer-inline-prefix-suffix", build: ""),
        Case(name: "replica-count-transformer", build: ""),
        Case(name: "replicas", build: ""),
        Case(name: "image-tag-transformer", build: ""),
    ]

    @Test(arguments: cases)
    func buildsWhatKustomizeBuilds(_ fixture: Case) async throws {
        let root = KustomizeFixtures.folder.appendingPathComponent(fixture.name).path
        let built = try await KustomizeFixtures.build(fixture.build, in: LocalRepository(root: root))
        let expected = try KustomizeFixtures.objects(inFile: root + "/expected.yaml")
        KustomizeFixtures.expectSameObjects(built, expected)
    }

    @Test func everyFixtureFolderHasACase() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: KustomizeFixtures.folder.path)
            .filter { !$0.hasSuffix(".md") }
        #expect(Set(folders) == Set(Self.cases.map(\.name)))
    }
}
