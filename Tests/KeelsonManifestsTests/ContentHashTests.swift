import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

/// kustomize's name-suffix hash, checked against the values of kustomize's `api/hasher/hasher_test.go`.
struct ContentHashTests {
    static func body(_ yaml: String) -> JSONValue {
        ManifestParser.documents(Array(yaml.utf8)).documents[0].json
    }

    @Test(arguments: [
        // TestConfigMapHash
        ("apiVersion: v1\nkind: ConfigMap", "6ct58987ht"),
        ("apiVersion: v1\nkind: ConfigMap\ndata:\n  one: \"\"", "9g67k2htb6"),
        ("apiVersion: v1\nkind: ConfigMap\ndata:\n  two: 2\n  one: \"\"\n  three: 3", "7757f9kkct"),
        ("apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  one: \"\"", "6mtk2m274t"),
        ("apiVersion: v1\nkind: ConfigMap\nbinaryData:\n  two: 2\n  one: \"\"\n  three: 3", "9th7kc28dg"),
        ("apiVersion: v1\nkind: ConfigMap\ndata:\n  one: \"\"\nbinaryData:\n  two: \"\"", "698h7c7t9m"),
        // TestSecretHash
        ("apiVersion: v1\nkind: Secret\ntype: my-type", "5gmgkf8578"),
        ("apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  one: \"\"", "74bd68bm66"),
        ("apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  two: 2\n  one: \"\"\n  three: 3", "4gf75c7476"),
        ("apiVersion: v1\nkind: Secret\ntype: my-type\ndata:\n  one: \"\"\nstringData:\n  two: 2", "c4h4264gdb"),
    ])
    func matchesKustomizesHasher(_ yaml: String, _ hash: String) {
        #expect(ContentHash.suffix(for: Self.body(yaml)) == hash)
    }

    @Test func encodesAsGoEncodingJSONDoes() {
        // TestEncodeConfigMap's "two keys with one each", plus the characters Go escapes.
        #expect(
            String(
                decoding: ContentHash.goJSON(Self.body("data:\n  one: \"\"\nbinaryData:\n  two: \"\"")), as: UTF8.self)
                == #"{"binaryData":{"two":""},"data":{"one":""}}"#)
        #expect(
            String(decoding: ContentHash.goJSON(.string("<a href=\"x\">&\u{2028}\u{1}\n")), as: UTF8.self)
                == #""\u003ca href=\"x\"\u003e\u0026\u2028\u0001\n""#)
    }

    @Test func theNameDoesNotChangeTheHashAsInKustomize() {
        let named = Self.body("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  one: \"\"")
        #expect(ContentHash.suffix(for: named) == "9g67k2htb6")
    }
}
