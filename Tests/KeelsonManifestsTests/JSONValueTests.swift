import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

@Suite struct JSONValueTests {
    @Test func objectsKeepMembersSortedByKeyBytesAndLastDuplicateWins() {
        let object = JSONObject([("b", .int(1)), ("a", .int(2)), ("B", .int(3)), ("a", .int(4))])
        #expect(object.keys == ["B", "a", "b"])
        #expect(object["a"] == .int(4))
        #expect(object["missing"] == nil)
        #expect(JSONObject(["y": .null, "x": .bool(true)]).keys == ["x", "y"])
    }

    @Test func canonicalJSONIsCompactSortedAndEscaped() {
        let value = JSONValue.object(
            JSONObject([
                ("z", .array([.int(-1), .double(1.5), .bool(false), .null])),
                ("a", .string("quote \" backslash \\ newline \n tab \t bell \u{07} é")),
                ("empty", .object(JSONObject([]))),
                ("list", .array([])),
            ]))
        let text = String(decoding: value.canonicalJSON, as: UTF8.self)
        #expect(
            text
                == #"{"a":"quote \" backslash \\ newline \n tab \t bell \u0007 é","empty":{},"list":[],"z":[-1,1.5,false,null]}"#
        )
    }

    @Test func prettyJSONIndentsLikeKubectl() {
        let value = JSONValue.object(
            JSONObject([
                ("kind", .string("ConfigMap")), ("data", .object(JSONObject([("k", .string("v"))]))),
                ("items", .array([])),
            ]))
        #expect(
            value.prettyJSON() == """
                {
                    "data": {
                        "k": "v"
                    },
                    "items": [],
                    "kind": "ConfigMap"
                }
                """)
        #expect(value.prettyJSON(indent: 2).hasPrefix("{\n  \"data\": {\n    \"k\""))
    }

    @Test func accessorsReturnNilForOtherCases() {
        let value = JSONValue.object(JSONObject([("n", .int(3)), ("s", .string("x")), ("a", .array([.null]))]))
        #expect(value["n"]?.intValue == 3)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["a"]?.arrayValue == [.null])
        #expect(value.objectValue?.count == 3)
        #expect(value["n"]?.stringValue == nil)
        #expect(JSONValue.string("x")["key"] == nil)
    }
}
