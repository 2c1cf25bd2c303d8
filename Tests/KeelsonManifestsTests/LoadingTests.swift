import Foundation
import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

@Suite struct LoadingTests {
    @Test func multiDocumentFilesYieldEveryObjectInOrderAndSkipEmptyDocuments() throws {
        let text = """
            # leading comment
            ---
            \(Fixtures.configMap("first"))
            ---
            ---
            # only a comment
            ---
            \(Fixtures.configMap("second"))
            ...
            """
        let rendered = try Fixtures.render([("apps/web/all.yaml", text)]).get()
        #expect(rendered.objects.map(\.name) == ["first", "second"])
        #expect(rendered.objects.map(\.source.line) == [3, 13])
        #expect(rendered.objects.allSatisfy { $0.source.file == "apps/web/all.yaml" })
    }

    @Test func listKindsAreExpandedWithItemFieldPaths() throws {
        let text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: one
            - apiVersion: v1
              kind: Service
              metadata:
                name: web
              spec:
                ports: [{port: 80}]
            """
        let rendered = try Fixtures.render([("apps/web/list.yaml", text)]).get()
        #expect(rendered.objects.map(\.key.description) == ["ConfigMap/one", "Service/web"])
        #expect(rendered.objects.map(\.source.line) == [4, 8])

        let broken = text.replacingOccurrences("    name: web", "    name: Web")
        let errors = Fixtures.errors(broken, path: "apps/web/list.yaml")
        #expect(errors.map(\.field) == ["items[1].metadata.name"])
        #expect(errors.map(\.line) == [11])
    }

    @Test func typedListKindsAndListsOfDeploymentsAreExpandedToo() throws {
        let item = Fixtures.deployment.split(separator: "\n").enumerated()
            .map { $0.offset == 0 ? "- \($0.element)" : "  \($0.element)" }.joined(separator: "\n")
        let text = "apiVersion: apps/v1\nkind: DeploymentList\nitems:\n\(item)\n"
        let rendered = try Fixtures.render([("d.yaml", text)]).get()
        #expect(rendered.objects.count == 1)
        #expect(rendered.objects.first?.deployment?.replicas == 3)

        let broken = text.replacingOccurrences("replicas: 3", "replicas: -2")
        #expect(Fixtures.errors(broken, path: "d.yaml").map(\.field) == ["items[0].spec.replicas"])
    }

    @Test func allKindsAreCarriedAsPlainObjectsKeyedByGroupKindNamespaceAndName() throws {
        let hpa = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: web
              namespace: shop
            spec:
              minReplicas: 2
            """
        let rendered = try Fixtures.render([
            ("a/hpa.yaml", hpa), ("a/config.yaml", Fixtures.configMap("settings")),
        ]).get()
        let keys = rendered.objects.map(\.key)
        #expect(
            keys == [
                ObjectKey(group: "", kind: "ConfigMap", namespace: nil, name: "settings"),
                ObjectKey(group: "autoscaling", kind: "HorizontalPodAutoscaler", namespace: "shop", name: "web"),
            ])
        #expect(rendered.objects[1].body["spec"]?["minReplicas"] == .int(2))
        #expect(rendered.objects[1].deployment == nil)
        #expect(rendered.objects[0].key(defaultNamespace: "prod").namespace == "prod")
        #expect(rendered.objects[1].key(defaultNamespace: "prod").namespace == "shop")
    }

    @Test func clusterScopedKindsNeverReceiveTheDefaultNamespace() throws {
        let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
        let object = try #require(try Fixtures.render([("ns.yaml", namespace)]).get().objects.first)
        #expect(object.key(defaultNamespace: "prod").namespace == nil)
    }

    @Test func filesAreLoadedInPathOrderWhateverOrderTheyAreGivenIn() throws {
        let files = [
            ("app/z.yaml", Fixtures.configMap("z")),
            ("app/a/b.yml", Fixtures.configMap("ab")),
            ("app/a.json", #"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "json"}}"#),
            ("app/B.yaml", Fixtures.configMap("upper-b")),
        ]
        let forward = try Fixtures.render(files).get()
        let backward = try Fixtures.render(files.reversed()).get()
        // Byte order: "a.json" sorts before "a/b.yml" because "." < "/".
        #expect(forward.objects.map(\.name) == ["upper-b", "json", "ab", "z"])
        #expect(forward == backward)
    }

    @Test func nonManifestFilesAndHiddenFilesAreSkippedSilently() throws {
        let rendered = try Fixtures.render([
            ("app/README.md", "# Web\n"),
            ("app/.helmignore", "*.tmp\n"),
            ("app/deploy.sh", "#!/bin/sh\nkubectl apply -f .\n"),
            ("app/.github/workflows/ci.yaml", "on: push\n"),
            ("app/.hidden.yaml", "not: a manifest\n"),
            ("app/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n"),
            ("app/config.yaml", Fixtures.configMap("settings")),
        ]).get()
        #expect(rendered.objects.map(\.name) == ["settings"])
        #expect(rendered.warnings.isEmpty)
    }

    @Test func yamlFilesThatAreNotKubernetesObjectsAreErrorsNotSkips() {
        let errors = Fixtures.errors("replicas: 3\nimage: web\n", path: "app/values.yaml")
        #expect(
            errors.map(\.description) == [
                "app/values.yaml:1: apiVersion: expected every document to be a Kubernetes object with apiVersion and kind"
            ])
    }

    @Test func kustomizationsBelowTheApplicationsPathAreRefusedAndTheirFilesAreNotLoaded() throws {
        for name in ["kustomization.yaml", "kustomization.yml", "Kustomization"] {
            let result = Fixtures.render([
                ("apps/web/overlays/prod/\(name)", "resources: [../../base]\n"),
                ("apps/web/overlays/prod/patch.yaml", "not: an object\n"),
                ("apps/web/plain.yaml", Fixtures.configMap("plain")),
            ])
            guard case .failure(let failure) = result else {
                Issue.record("kustomization \(name) below the application's path rendered")
                continue
            }
            #expect(
                failure.errors.map(\.description) == [
                    "apps/web/overlays/prod/\(name): a kustomization is built only at the top of the application's path; point the application at apps/web/overlays/prod, or list that folder in the resources of a kustomization at the repository's root"
                ])
            #expect(failure.errors.first?.category == .unsupported)
        }
    }

    @Test func nonUTF8FilesNameTheFileTheLineAndTheByteOffset() {
        var bytes = Array("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf".utf8)
        bytes.append(0xE9)  // Latin-1 "é"
        bytes += Array("\n".utf8)
        let renderer = ManifestRenderer()
        #expect {
            try renderer.render([ManifestFile(path: "app/config.yaml", contents: bytes)])
        } throws: { error in
            let errors = (error as? RenderFailure)?.errors ?? []
            return errors.map(\.description) == [
                "app/config.yaml:4: expected UTF-8 text, found invalid byte 0xE9 at byte offset 52; save the file as UTF-8"
            ]
        }
    }

    @Test(
        arguments: [
            ([0xC0, 0x80], 0),  // overlong encoding of NUL
            ([0x61, 0xED, 0xA0, 0x80], 1),  // UTF-16 surrogate
            ([0x61, 0x62, 0xF4, 0x90, 0x80, 0x80], 2),  // beyond U+10FFFF
            ([0xE2, 0x82], 0),  // truncated sequence
            ([0xFF, 0xFE, 0x61, 0x00], 0),  // UTF-16 byte order mark
        ] as [([UInt8], Int)])
    func invalidUTF8IsFoundAtItsFirstByte(_ bytes: [UInt8], offset: Int) {
        #expect(ManifestParser.firstInvalidUTF8Offset(bytes) == offset)
    }

    @Test func validUTF8AndAByteOrderMarkAreAccepted() throws {
        #expect(ManifestParser.firstInvalidUTF8Offset(Array("naïve ✓ 🚀".utf8)) == nil)
        let withBOM = [0xEF, 0xBB, 0xBF] + Array(Fixtures.configMap("bom").utf8)
        let rendered = try ManifestRenderer().render([ManifestFile(path: "bom.yaml", contents: withBOM)])
        #expect(rendered.objects.map(\.name) == ["bom"])
    }

    @Test func oversizedFilesAreRefusedWithTheLimitInTheMessage() throws {
        let big = Fixtures.configMap("big") + "\n  blob: " + String(repeating: "x", count: 4 * 1024 * 1024) + "\n"
        let errors = Fixtures.errors(big, path: "app/big.yaml")
        #expect(
            errors.map(\.description) == [
                "app/big.yaml: expected a manifest file of at most 4 MiB (4194304 bytes), found \(big.utf8.count) bytes; split it into several files"
            ])
        #expect(errors.first?.category == .oversized)

        let small = Fixtures.configMap("small")
        let limited = Fixtures.render([("small.yaml", small)], options: .init(maxFileSize: small.utf8.count - 1))
        #expect(throws: RenderFailure.self) { try limited.get() }
        #expect(throws: Never.self) {
            try Fixtures.render([("small.yaml", small)], options: .init(maxFileSize: small.utf8.count)).get()
        }
    }

    @Test func aliasBombsAreStoppedInsteadOfExpanded() {
        var text =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...7 {
            let previous = "*a\(level - 1)"
            text += "x\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let errors = Fixtures.errors(text, path: "bomb.yaml")
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("expands to too many values") == true)
    }

    @Test func yamlAnchorsAndMergeKeysAreResolved() throws {
        let text = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: merged
              labels: &labels {app: web, tier: front}
              annotations:
                <<: *labels
                tier: back
            """
        let object = try #require(try Fixtures.render([("m.yaml", text)]).get().objects.first)
        #expect(
            object.body["metadata"]?["annotations"]
                == .object(JSONObject([("app", .string("web")), ("tier", .string("back"))])))
    }

    @Test func yamlScalarsResolveAsKubernetesReadsThem() throws {
        let text = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: scalars
            values:
              quoted: "3"
              plain: 3
              hex: 0x1F
              octal: 0o17
              float: 1.5
              exponent: 1e3
              yes: yes
              off: off
              tilde: ~
              empty:
              word: hello world
              version: 1.2.3
              tagged: !!str 42
              date: 2024-01-01
            """
        let object = try #require(try Fixtures.render([("s.yaml", text)]).get().objects.first)
        let values = try #require(object.body["values"])
        #expect(values["quoted"] == .string("3"))
        #expect(values["plain"] == .int(3))
        #expect(values["hex"] == .int(31))
        #expect(values["octal"] == .int(15))
        #expect(values["float"] == .double(1.5))
        #expect(values["exponent"] == .double(1000))
        #expect(values["yes"] == .bool(true))
        #expect(values["off"] == .bool(false))
        #expect(values["tilde"] == .null)
        #expect(values["empty"] == .null)
        #expect(values["word"] == .string("hello world"))
        #expect(values["version"] == .string("1.2.3"))
        #expect(values["tagged"] == .string("42"))
        #expect(values["date"] == .string("2024-01-01"))
    }

    @Test func duplicateObjectsNameBothFiles() {
        let result = Fixtures.render([
            ("apps/web/a.yaml", Fixtures.configMap("settings")),
            ("apps/web/b.yaml", "---\n" + Fixtures.configMap("settings")),
            ("apps/web/c.yaml", Fixtures.configMap("settings", namespace: "shop")),
        ])
        guard case .failure(let failure) = result else {
            Issue.record("duplicates rendered")
            return
        }
        #expect(
            failure.errors.map(\.description) == [
                "apps/web/b.yaml:2: expected each object once, found ConfigMap/settings defined both here and at apps/web/a.yaml:1"
            ])
        #expect(failure.errors.first?.category == .duplicate)
    }

    @Test func duplicatesAcrossWrittenAndDefaultNamespaceAreFoundWhenTheNamespaceIsKnown() throws {
        let files = [
            ("a.yaml", Fixtures.configMap("settings")),
            ("b.yaml", Fixtures.configMap("settings", namespace: "shop")),
        ]
        #expect(throws: Never.self) { try Fixtures.render(files).get() }
        let errors: [ManifestError]
        switch Fixtures.render(files, options: .init(defaultNamespace: "shop")) {
        case .success: errors = []
        case .failure(let failure): errors = failure.errors
        }
        #expect(
            errors.map(\.description) == [
                "b.yaml:1: expected each object once, found ConfigMap/shop/settings defined both here and at a.yaml:1"
            ])
    }

    @Test func allErrorsOfARenderAreReportedTogetherInFileAndLineOrder() {
        let result = Fixtures.render([
            (
                "apps/web/z.yaml",
                Fixtures.deployment
                    .replacingOccurrences("  replicas: 3", "  replicas: \"three\"")
                    .replacingOccurrences("        image: envoyproxy/envoy:v1.30.1", "        image: \"\"")
            ),
            ("apps/web/a.yaml", "a: [\n"),
            ("apps/web/m.yaml", Fixtures.configMap("ok") + "\n---\n" + Fixtures.configMap("Bad_Name")),
            ("apps/web/kustomize/kustomization.yaml", "resources: []\n"),
        ])
        guard case .failure(let failure) = result else {
            Issue.record("broken input rendered")
            return
        }
        #expect(
            failure.errors.map(\.description) == [
                "apps/web/a.yaml:2: expected valid YAML: did not find expected node content (while parsing a flow node at line 2)",
                "apps/web/kustomize/kustomization.yaml: a kustomization is built only at the top of the application's path; point the application at apps/web/kustomize, or list that folder in the resources of a kustomization at the repository's root",
                "apps/web/m.yaml:11: metadata.name: expected a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. 'my-app.v2'), found \"Bad_Name\"",
                "apps/web/z.yaml:6: spec.replicas: expected an integer, found string \"three\"",
                "apps/web/z.yaml:19: spec.template.spec.containers[1].image: expected an image reference [registry[:port]/]path[:tag][@sha256:<64 hex digits>]: the image reference is empty",
            ])
        #expect(String(describing: failure).hasSuffix("\n5 errors in manifests"))
    }

    @Test func localFoldersAreLoadedRecursivelyWithRelativePaths() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keelson-manifests-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = [
            "deployment.yaml": Fixtures.deployment,
            "config/settings.yml": Fixtures.configMap("settings"),
            "README.md": "# docs\n",
            ".git/config.yaml": "not: loaded\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let loaded = try ManifestFile.loadLocal(at: root.path)
        #expect(loaded.map(\.path) == ["config/settings.yml", "deployment.yaml"])
        #expect(loaded.allSatisfy { $0.blobID == nil })
        #expect(try ManifestRenderer().render(loaded).objects.map(\.name) == ["settings", "web"])

        let single = try ManifestFile.loadLocal(at: root.appendingPathComponent("deployment.yaml").path)
        #expect(single.map(\.path) == ["deployment.yaml"])

        #expect(throws: ManifestError.self) {
            try ManifestFile.loadLocal(at: root.appendingPathComponent("missing").path)
        }
    }

    @Test func aSymbolicLinkOutOfTheFolderIsRefusedWithoutReadingIt() throws {
        let top = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keelson-links-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: top) }
        let folder = top.appendingPathComponent("app")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("root:SECRET-HASH:19000:0:99999:7:::\n".utf8).write(to: top.appendingPathComponent("shadow.yaml"))
        try Data(Fixtures.deployment.utf8).write(to: folder.appendingPathComponent("deployment.yaml"))
        // A link inside the folder is read as the file it leads to.
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("same.yaml").path, withDestinationPath: "deployment.yaml")
        #expect(try ManifestFile.loadLocal(at: folder.path).map(\.path) == ["deployment.yaml", "same.yaml"])

        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("stolen.yaml").path, withDestinationPath: "../shadow.yaml")
        let error = #expect(throws: ManifestError.self) { try ManifestFile.loadLocal(at: folder.path) }
        #expect(error?.file == "stolen.yaml")
        #expect(
            error?.message.hasPrefix("a symbolic link to ../shadow.yaml, outside") == true,
            "\(String(describing: error))")
        #expect(!String(describing: error).contains("SECRET"))
    }
}
