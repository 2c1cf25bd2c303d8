import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

/// kustomize's fields on every workload kind, and builtin transformer configurations beyond the ported cases.
struct KustomizeWorkloadTests {
    static let podSpec = """
        containers:
        - name: app
          image: registry.example.com/app:1.0
          envFrom:
          - configMapRef:
              name: settings
        """

    /// A workload of `kind` whose pod spec is ``podSpec``, placed where that kind keeps it.
    static func workload(_ kind: String, group: String = "apps/v1") -> String {
        let template =
            "template:\n  spec:\n" + podSpec.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        let spec = kind == "CronJob" ? "jobTemplate:\n  spec:\n" + indent(template, 4) : template
        return "apiVersion: \(group)\nkind: \(kind)\nmetadata:\n  name: \(kind.lowercased())\nspec:\n" + indent(spec, 2)
    }

    static func indent(_ text: String, _ spaces: Int) -> String {
        text.split(separator: "\n").map { String(repeating: " ", count: spaces) + $0 }.joined(separator: "\n")
    }

    static let kinds = [
        ("Deployment", "apps/v1"), ("StatefulSet", "apps/v1"), ("DaemonSet", "apps/v1"), ("Job", "batch/v1"),
        ("CronJob", "batch/v1"),
    ]

    @Test func imagesNamespaceAndReferencesReachEveryWorkloadKind() async throws {
        var files = ["app/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"]
        for (kind, group) in Self.kinds { files["app/\(kind).yaml"] = Self.workload(kind, group: group) }
        files["app/kustomization.yaml"] = """
            resources:
            - config.yaml
            \(Self.kinds.map { "- \($0.0).yaml" }.joined(separator: "\n"))
            namespace: shop
            namePrefix: prod-
            images:
            - name: registry.example.com/app
              newTag: "2.0"
            """
        let built = try await KustomizeFixtures.build("app", in: MemoryRepository(files))
        for body in built where body["kind"]?.stringValue != "ConfigMap" {
            let path =
                body["kind"] == .string("CronJob")
                ? ["spec", "jobTemplate", "spec", "template", "spec"] : ["spec", "template", "spec"]
            let container = body.value(at: path + ["containers"])?.arrayValue?.first
            #expect(container?["image"] == .string("registry.example.com/app:2.0"), "\(KustomizeFixtures.key(body))")
            #expect(
                container?["envFrom"]?.arrayValue?.first?.value(at: ["configMapRef", "name"])
                    == .string("prod-settings"),
                "\(KustomizeFixtures.key(body))")
            #expect(body.value(at: ["metadata", "namespace"]) == .string("shop"))
        }
        #expect(built.count == 6)
    }

    @Test func aNamespaceTransformerCanSetOnlyMissingNamespacesAndChooseSubjects() async throws {
        let files = [
            "app/kustomization.yaml": """
            resources:
            - objects.yaml
            transformers:
            - |-
              apiVersion: builtin
              kind: NamespaceTransformer
              metadata:
                name: fill
                namespace: shop
              unsetOnly: true
              setRoleBindingSubjects: allServiceAccounts
            """,
            "app/objects.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: unset
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: kept
              namespace: monitoring
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: reader
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
            subjects:
            - {kind: ServiceAccount, name: app}
            - {kind: ServiceAccount, name: agent, namespace: monitoring}
            - {kind: User, name: jane}
            """,
        ]
        let built = try await KustomizeFixtures.build("app", in: MemoryRepository(files))
        #expect(
            built.map(KustomizeFixtures.key) == [
                "ConfigMap/shop/unset", "ConfigMap/monitoring/kept", "RoleBinding/shop/reader",
            ])
        #expect(
            built[2]["subjects"]
                == ContentHashTests.body(
                    """
                    subjects:
                    - {kind: ServiceAccount, name: app, namespace: shop}
                    - {kind: ServiceAccount, name: agent, namespace: monitoring}
                    - {kind: User, name: jane}
                    """)["subjects"])
    }
}
