import Testing

@testable import KeelsonManifests

/// What Keelson refuses in kustomizations, and how it says so: the kustomization file, line and field.
struct KustomizeRefusalTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let files: [String: String]
        let error: String
    }

    static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"

    static let cases: [Case] = [
        Case(
            testDescription: "a remote resource",
            files: ["apps/web/kustomization.yaml": "resources:\n- https://github.com/acme/deploy//base?ref=v1\n"],
            error:
                "apps/web/kustomization.yaml:2: resources[0]: remote resources are not supported by Keelson (found https://github.com/acme/deploy//base?ref=v1); copy the files into this repository and refer to them by relative path"
        ),
        Case(
            testDescription: "helmCharts",
            files: ["apps/web/kustomization.yaml": "resources: []\nhelmCharts:\n- name: redis\n"],
            error:
                "apps/web/kustomization.yaml:2: helmCharts: not supported by Keelson (render the chart and commit its output, or remove the field)"
        ),
        Case(
            testDescription: "an unknown field",
            files: ["apps/web/kustomization.yaml": "imagess:\n- name: web\n"],
            error:
                "apps/web/kustomization.yaml:1: imagess: unknown kustomization field; Keelson supports \(KustomizationReader.supportedFields)"
        ),
        Case(
            testDescription: "an unknown field inside an entry",
            files: ["apps/web/kustomization.yaml": "images:\n- name: web\n  tagSuffix: -debug\n"],
            error:
                "apps/web/kustomization.yaml:3: images[0].tagSuffix: not supported by Keelson; expected name, newName, newTag or digest"
        ),
        Case(
            testDescription: "a path leaving the repository",
            files: ["apps/web/kustomization.yaml": "resources:\n- ../../../outside\n"],
            error:
                "apps/web/kustomization.yaml:2: resources[0]: ../../../outside leads outside the repository; Keelson reads only files inside it"
        ),
        Case(
            testDescription: "an absolute path",
            files: ["apps/web/kustomization.yaml": "patchesStrategicMerge:\n- /etc/patch.yaml\n"],
            error:
                "apps/web/kustomization.yaml:2: patchesStrategicMerge[0]: expected a path relative to the kustomization's folder, found the absolute path /etc/patch.yaml"
        ),
        Case(
            testDescription: "a cycle",
            files: [
                "apps/web/kustomization.yaml": "resources:\n- ../shared\n",
                "apps/shared/kustomization.yaml": "resources:\n- config.yaml\n- ../web\n",
                "apps/shared/config.yaml": configMap,
            ],
            error:
                "apps/shared/kustomization.yaml:3: resources[1]: ../web makes a cycle: apps/web/kustomization.yaml → apps/shared/kustomization.yaml → apps/web/kustomization.yaml"
        ),
        Case(
            testDescription: "a missing base",
            files: ["apps/web/kustomization.yaml": "resources:\n- ../base\n"],
            error:
                "apps/web/kustomization.yaml:2: resources[0]: expected a file, or a folder with a kustomization file, at apps/base, found nothing"
        ),
        Case(
            testDescription: "a folder without kustomization",
            files: ["apps/web/kustomization.yaml": "resources:\n- ../plain\n", "apps/plain/config.yaml": configMap],
            error:
                "apps/web/kustomization.yaml:2: resources[0]: expected a kustomization file (kustomization.yaml, kustomization.yml, Kustomization) in apps/plain"
        ),
        Case(
            testDescription: "a component",
            files: ["apps/web/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"],
            error:
                "apps/web/kustomization.yaml:2: kind: not supported by Keelson (copy the component's resources and patches into the kustomization)"
        ),
        Case(
            testDescription: "a generator plugin",
            files: ["apps/web/kustomization.yaml": "generators:\n- secrets.yaml\n"],
            error:
                "apps/web/kustomization.yaml:1: generators: not supported by Keelson (generator plugins are not run; commit what they generate)"
        ),
        Case(
            testDescription: "a transformer plugin",
            files: [
                "apps/web/kustomization.yaml": "resources:\n- config.yaml\ntransformers:\n- sops.yaml\n",
                "apps/web/config.yaml": configMap,
                "apps/web/sops.yaml": "apiVersion: viaduct.ai/v1\nkind: ksops\nmetadata:\n  name: decrypt\n",
            ],
            error:
                "apps/web/sops.yaml:1: transformers[0]: not supported by Keelson: ksops is not a builtin transformer Keelson runs (plugins are not supported); expected apiVersion: builtin with kind \(KustomizeTransformer.configurableKinds.joined(separator: ", "))"
        ),
        Case(
            testDescription: "an env file line without a value",
            files: [
                "apps/web/kustomization.yaml": "configMapGenerator:\n- name: web\n  envs:\n  - web.env\n",
                "apps/web/web.env": "LEVEL=debug\nTOKEN\n",
            ],
            error:
                "apps/web/kustomization.yaml:2: configMapGenerator[0]: line 2 of an env file: TOKEN has no value; Keelson does not read values from its own environment"
        ),
        Case(
            testDescription: "a patch without its object",
            files: [
                "apps/web/kustomization.yaml": "resources:\n- config.yaml\npatchesStrategicMerge:\n- patch.yaml\n",
                "apps/web/config.yaml": configMap,
                "apps/web/patch.yaml":
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  key: value\n",
            ],
            error:
                "apps/web/kustomization.yaml:4: patchesStrategicMerge[0]: expected the patch for ConfigMap/other to match one object, found 0"
        ),
        Case(
            testDescription: "replicas for no object",
            files: [
                "apps/web/kustomization.yaml": "resources:\n- config.yaml\nreplicas:\n- name: web\n  count: 3\n",
                "apps/web/config.yaml": configMap,
            ],
            error:
                "apps/web/kustomization.yaml:4: replicas[0]: expected a Deployment or ReplicationController or ReplicaSet or StatefulSet named \"web\", found none"
        ),
        Case(
            testDescription: "the same object twice",
            files: [
                "apps/web/kustomization.yaml": "resources:\n- a.yaml\n- b.yaml\n",
                "apps/web/a.yaml": configMap, "apps/web/b.yaml": configMap,
            ],
            error:
                "apps/web/b.yaml:1: expected each object once, found ConfigMap/settings defined both here and at apps/web/a.yaml:1"
        ),
    ]

    @Test(arguments: cases)
    func isRefusedNamingTheFileLineAndField(_ refused: Case) async throws {
        let failure = try #require(
            await #expect(throws: RenderFailure.self) {
                try await ManifestRenderer().render(path: "apps/web", in: MemoryRepository(refused.files))
            })
        #expect(failure.errors.map(\.description) == [refused.error])
    }

    @Test func everyProblemOfAKustomizationFileIsReportedTogether() async throws {
        let files = ["apps/web/kustomization.yaml": "namespace: [shop]\nvars: []\nreplicas:\n- name: web\n"]
        let failure = try #require(
            await #expect(throws: RenderFailure.self) {
                try await ManifestRenderer().render(path: "apps/web", in: MemoryRepository(files))
            })
        #expect(
            failure.errors.map(\.description) == [
                "apps/web/kustomization.yaml:1: namespace: expected a string, found a list",
                "apps/web/kustomization.yaml:2: vars: not supported by Keelson (write the values into the manifests or use patches)",
                "apps/web/kustomization.yaml:4: replicas[0].count: expected a count",
            ])
    }
}
