import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

/// Kustomize folders rendered end to end: built, then validated like any manifests.
struct KustomizeRenderTests {
    static let base: [String: String] = [
        "apps/web/base/kustomization.yaml": """
        resources:
        - deployment.yaml
        - service.yaml
        configMapGenerator:
        - name: web-config
          literals:
          - LOG_LEVEL=info
        """,
        "apps/web/base/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: registry.example.com/shop/web:1.0.0
                envFrom:
                - configMapRef:
                    name: web-config
        """,
        "apps/web/base/service.yaml": """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - port: 80
        """,
        "apps/web/staging/kustomization.yaml": """
        resources:
        - ../base
        namespace: shop-staging
        commonLabels:
          env: staging
        images:
        - name: registry.example.com/shop/web
          newTag: 1.1.0-rc.1
        replicas:
        - name: web
          count: 2
        """,
        "apps/web/production/kustomization.yaml": """
        resources:
        - ../staging
        namespace: shop
        commonLabels:
          env: production
        images:
        - name: registry.example.com/shop/web
          newTag: 1.1.0
        replicas:
        - name: web
          count: 5
        """,
    ]

    static func render(_ path: String, _ files: [String: String] = base) async throws -> RenderedManifests {
        try await ManifestRenderer().render(path: path, in: MemoryRepository(files))
    }

    @Test func anOverlayChainGivesEachEnvironmentItsTagReplicasAndNamespace() async throws {
        for (overlay, namespace, tag, replicas) in [
            ("apps/web/staging", "shop-staging", "1.1.0-rc.1", 2), ("apps/web/production", "shop", "1.1.0", 5),
        ] {
            let rendered = try await Self.render(overlay)
            let deployment = try #require(rendered.objects.first { $0.kind == "Deployment" })
            #expect(deployment.namespace == namespace)
            #expect(deployment.deployment?.replicas == replicas)
            let image = try #require(deployment.deployment?.template.containers.first?.image)
            #expect(try ImageReference(parsing: image).tag == tag)
            let config = try #require(rendered.objects.first { $0.kind == "ConfigMap" })
            #expect(config.name.hasPrefix("web-config-") && config.name.count == "web-config-".count + 10)
            #expect(
                deployment.body.value(at: ["spec", "template", "spec", "containers"])?.arrayValue?.first?
                    .value(at: ["envFrom"])?.arrayValue?.first?.value(at: ["configMapRef", "name"])
                    == .string(config.name))
        }
        let production = try await Self.render("apps/web/production")
        #expect(production.objects.map { "\($0.kind)/\($0.namespace ?? "-")/\($0.name)" }.count == 3)
        #expect(production.sources == ["apps/web/base", "apps/web/production", "apps/web/staging"])
    }

    @Test func aTagBumpInImagesChangesOnlyTheImage() async throws {
        let before = try await Self.render("apps/web/production")
        var bumped = Self.base
        bumped["apps/web/production/kustomization.yaml"] = bumped["apps/web/production/kustomization.yaml"]!
            .replacingOccurrences("newTag: 1.1.0", "newTag: 1.2.0")
        let after = try await Self.render("apps/web/production", bumped)

        #expect(before.objects.map(\.key) == after.objects.map(\.key))
        let changed = zip(before.objects, after.objects).filter { $0.contentHash != $1.contentHash }
        #expect(changed.map(\.0.kind) == ["Deployment"])
        #expect(
            changed.flatMap { Self.differences($0.body, $1.body) } == [
                "spec.template.spec.containers[0].image: registry.example.com/shop/web:1.1.0 → registry.example.com/shop/web:1.2.0"
            ])
    }

    @Test func errorsInTheBuiltObjectsPointAtTheLinesTheyWereWrittenAt() async throws {
        var files = Self.base
        files["apps/web/base/deployment.yaml"] = files["apps/web/base/deployment.yaml"]!
            .replacingOccurrences("  replicas: 1", "  replicas: 1\n  minReadySeconds: -5")
        let failure = try #require(
            await #expect(throws: RenderFailure.self) { try await Self.render("apps/web/production", files) })
        #expect(
            failure.errors.map(\.description) == [
                "apps/web/base/deployment.yaml:7: spec.minReadySeconds: expected a value greater than or equal to 0, found -5"
            ])
    }

    @Test func aFolderWithoutKustomizationRendersAsBeforeWithItsPathAsOnlySource() async throws {
        let rendered = try await Self.render(
            "apps/web/base-plain", ["apps/web/base-plain/service.yaml": Self.base["apps/web/base/service.yaml"]!])
        #expect(rendered.objects.map(\.name) == ["web"])
        #expect(rendered.sources == ["apps/web/base-plain"])
    }

    @Test func filesReadOutsideTheKustomizationFoldersAreSources() async throws {
        var files = Self.base
        files["apps/web/production/kustomization.yaml"]! +=
            "\npatchesStrategicMerge:\n- ../../../shared/web-resources.yaml\n"
        files["shared/web-resources.yaml"] = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  containers:
                  - name: web
                    resources:
                      limits: {memory: 256Mi}
            """
        let rendered = try await Self.render("apps/web/production", files)
        #expect(
            rendered.sources == [
                "apps/web/base", "apps/web/production", "apps/web/staging", "shared/web-resources.yaml",
            ])
    }

    @Test func filesAKustomizationReadsKeepTheSizeLimit() async throws {
        let renderer = ManifestRenderer(options: .init(maxFileSize: 200))
        let failure = try #require(
            await #expect(throws: RenderFailure.self) {
                try await renderer.render(path: "apps/web/staging", in: MemoryRepository(Self.base))
            })
        #expect(
            failure.errors.map(\.description) == [
                "apps/web/base/deployment.yaml: expected a file of at most 200 bytes, found 346 bytes; split it into several files"
            ])
    }

    /// The paths at which two values differ, with both values.
    static func differences(_ lhs: JSONValue, _ rhs: JSONValue, path: String = "") -> [String] {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            return Set(left.keys + right.keys).sorted().flatMap { key in
                differences(left[key] ?? .null, right[key] ?? .null, path: path.isEmpty ? key : "\(path).\(key)")
            }
        case (.array(let left), .array(let right)) where left.count == right.count:
            return zip(left, right).enumerated().flatMap { differences($1.0, $1.1, path: "\(path)[\($0)]") }
        default:
            return lhs == rhs ? [] : ["\(path): \(lhs.stringValue ?? "\(lhs)") → \(rhs.stringValue ?? "\(rhs)")"]
        }
    }
}
