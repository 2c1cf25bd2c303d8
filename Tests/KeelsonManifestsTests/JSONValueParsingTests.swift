import KeelsonKubernetes
import KeelsonManifests
import Testing

struct JSONValueParsingTests {
    @Test(arguments: [
        #"{"a":[1,2.5,"x",true,null],"b":{"c":-3}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a/b"}}"#,
        #"[]"#,
        #"{"a":1.0,"b":1,"c":1000.0,"d":false}"#,
    ])
    func canonicalJSONRoundTrips(text: String) throws {
        let value = try JSONValue(json: Array(text.utf8))
        #expect(String(decoding: value.canonicalJSON, as: UTF8.self) == text)
    }

    @Test func integersStayIntegers() throws {
        #expect(try JSONValue(json: Array("3".utf8)) == .int(3))
        #expect(try JSONValue(json: Array("3.5".utf8)) == .double(3.5))
        #expect(try JSONValue(json: Array("true".utf8)) == .bool(true))
        #expect(try JSONValue(json: Array("1.0".utf8)) == .double(1))
        #expect(try JSONValue(json: Array("1e3".utf8)) == .double(1000))
        #expect(try JSONValue(json: Array("0".utf8)) == .int(0))
    }

    @Test func malformedTextThrows() {
        #expect(throws: (any Error).self) { try JSONValue(json: Array("{".utf8)) }
    }
}
