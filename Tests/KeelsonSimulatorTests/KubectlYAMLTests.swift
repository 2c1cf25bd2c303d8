import Foundation
import KeelsonKubernetes
import KeelsonManifests
import Testing
import Yams

@testable import KeelsonSimulator

/// `kubectl get -o yaml` rendering: block layout, minimal quoting, and a lossless round trip through a YAML parser.
struct KubectlYAMLTests {
    /// `value` read back from YAML with Yams' default (YAML 1.1) resolver.
    static func parsed(_ yaml: String) throws -> JSONValue {
        try jsonValue(try #require(try Yams.load(yaml: yaml)))
    }

    private static func jsonValue(_ any: Any) throws -> JSONValue {
        switch any {
        case let bool as Bool: return .bool(bool)
        case let int as Int: return .int(int)
        case let double as Double: return .double(double)
        case let string as String: return .string(string)
        case let array as [Any]: return .array(try array.map(jsonValue))
        case let dictionary as [String: Any]: return .object(JSONObject(try dictionary.mapValues(jsonValue)))
        case is NSNull: return .null
        default: throw YAMLValueError(description: "unexpected \(type(of: any)): \(any)")
        }
    }

    struct YAMLValueError: Error, CustomStringConvertible {
        let description: String
    }

    @Test func aMidRolloutClusterSurvivesTheRoundTrip() throws {
        let cluster = KubectlObjectsTests.midRollout()
        let items =
            cluster.deployments.map(\.json) + cluster.replicaSets.map(\.json) + cluster.pods.map(\.json)
        let list = KubectlObjects.list(items)
        #expect(try Self.parsed(KubectlYAML.render(list)) == list)
    }

    @Test func blocksNestAndSequencesSitAtTheirKeysColumn() {
        let value = Self.object([
            ("apiVersion", .string("v1")),
            ("items", .array([Self.object([("a", .int(1)), ("b", .array([.string("x")]))]), .int(2)])),
            ("empty", .object(JSONObject([]))),
            ("none", .array([])),
            ("metadata", Self.object([("labels", Self.object([("app", .string("web"))]))])),
            ("nothing", .null),
            ("nested", .array([.array([.int(1), .int(2)])])),
        ])
        #expect(
            KubectlYAML.render(value) == """
                apiVersion: v1
                empty: {}
                items:
                - a: 1
                  b:
                  - x
                - 2
                metadata:
                  labels:
                    app: web
                nested:
                - - 1
                  - 2
                none: []
                nothing: null

                """)
    }

    @Test(arguments: [
        ("web", "web"), ("web-7c5ddbdf54", "web-7c5ddbdf54"), ("25%", "25%"), ("nginx:1.25", "nginx:1.25"),
        ("apps/v1", "apps/v1"), (#"ReplicaSet "web-1" is progressing."#, #"ReplicaSet "web-1" is progressing."#),
        ("True", #""True""#), ("false", #""false""#), ("yes", #""yes""#), ("null", #""null""#), ("~", #""~""#),
        ("", #""""#), ("2", #""2""#), ("5948747", #""5948747""#), ("1.5", #""1.5""#), ("0x1F", #""0x1F""#),
        ("1_000", #""1_000""#), ("1:30", #""1:30""#), ("2026-01-01T00:00:00Z", #""2026-01-01T00:00:00Z""#),
        ("containers with unready status: [web]", "'containers with unready status: [web]'"),
        ("- item", "'- item'"), ("#tag", "'#tag'"), ("*alias", "'*alias'"), ("it's", "it's"),
        ("'quoted'", "'''quoted'''"), (" padded", "' padded'"), ("key:", "'key:'"), ("a #b", "'a #b'"),
        ("two\nlines", #""two\nlines""#), ("tab\there", #""tab\there""#),
    ])
    func stringsAreQuotedOnlyWhenPlainWouldReadBackDifferently(text: String, expected: String) throws {
        #expect(KubectlYAML.quoted(text) == expected)
        let value = Self.object([("k", .string(text))])
        #expect(try Self.parsed(KubectlYAML.render(value)) == value)
    }

    @Test func keysAreQuotedByTheSameRules() throws {
        let value = Self.object([("on", .string("x")), ("deployment.kubernetes.io/revision", .string("1"))])
        let yaml = KubectlYAML.render(value)
        #expect(yaml == "deployment.kubernetes.io/revision: \"1\"\n\"on\": x\n")
        #expect(try Self.parsed(yaml) == value)
    }

    /// An object of `members`, in any order.
    static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(members))
    }
}
