import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

@Suite struct DeterminismTests {
    static let files: [(path: String, text: String)] = [
        ("apps/web/deployment.yaml", Fixtures.deployment),
        ("apps/web/config.yaml", Fixtures.configMap("settings") + "\n  other: x\n  another: \"ünïcode ✓\"\n"),
        (
            "apps/web/extra.json",
            #"{"kind": "Service", "metadata": {"name": "web"}, "apiVersion": "v1", "spec": {"ports": [{"port": 80}]}}"#
        ),
    ]

    @Test func sameInputGivesByteIdenticalOutputAndHashes() throws {
        let first = try Fixtures.render(Self.files).get()
        let second = try Fixtures.render(Self.files.reversed()).get()
        let warm = ManifestRenderer()
        _ = try warm.render(Self.files.map { ManifestFile(path: $0.path, text: $0.text) })
        let third = try warm.render(Self.files.map { ManifestFile(path: $0.path, text: $0.text) })
        for other in [second, third] {
            #expect(other.list.canonicalJSON == first.list.canonicalJSON)
            #expect(other.list.prettyJSON() == first.list.prettyJSON())
            #expect(other.objects.map(\.contentHash) == first.objects.map(\.contentHash))
            #expect(other == first)
        }
    }

    @Test func keyOrderAndFormattingDoNotChangeTheHashButContentDoes() throws {
        let block = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"1\"\n  y: \"2\"\n"
        let flow =
            #"{"data": {"y": "2", "x": "1"}, "metadata": {"name": "a"}, "kind": "ConfigMap", "apiVersion": "v1"}"#
        let changed = block.replacingOccurrences("y: \"2\"", "y: \"3\"")
        let hashes = try [block, flow, changed].map { text in
            try #require(try Fixtures.render([("a.yaml", text)]).get().objects.first?.contentHash)
        }
        #expect(hashes[0] == hashes[1])
        #expect(hashes[0] != hashes[2])
        #expect(hashes[0].count == 64)
    }

    @Test func theContentHashIsTheSHA256OfTheCanonicalJSON() throws {
        let object = try #require(
            try Fixtures.render([("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")]).get().objects
                .first)
        let canonical = String(decoding: object.body.canonicalJSON, as: UTF8.self)
        #expect(canonical == #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}"#)
        // Computed independently: printf '%s' '<canonical>' | sha256sum
        #expect(object.contentHash == "bee2360fe9a24e63651736acbf8fc1ac4f6085afb8cc9e79cd3b1315b0294dc6")
    }
}
