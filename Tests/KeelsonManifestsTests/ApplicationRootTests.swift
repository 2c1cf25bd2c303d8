import KeelsonKubernetes
import KeelsonManifests
import Testing

/// Only folders below an application's root can hide its files.
struct ApplicationRootTests {
    @Test(arguments: [
        ("./apps/web", "./apps/web/deploy.yaml"),
        ("../shared/apps/web", "../shared/apps/web/deploy.yaml"),
        (".deploy/apps/web", ".deploy/apps/web/deploy.yaml"),
        (".", "./deploy.yaml"),
    ])
    func filesUnderTheRootLoadWhateverTheRootLooksLike(root: String, path: String) throws {
        let rendered = try ManifestRenderer().render(
            [
                ManifestFile(path: path, text: Fixtures.deployment),
                ManifestFile(path: root + "/.git/config.yaml", text: "x"),
            ],
            under: root)
        #expect(rendered.objects.map(\.name) == ["web"])
    }
}
