import Foundation
import KeelsonKubernetes
import Testing

struct JSONValueParsingTests {
    @Test(arguments: [
        #"{"a":[1,2.5,"x",true,null],"b":{"c":-3}}"#,
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a/b"}}"#,
        #"[]"#,
        #"{"a":1.0,"b":1,"c":1000.0,"d":false}"#,
        #"{"ctl":"\u0001","path":"C:\\x","quote":"say \"hi\"","tab":"a\tb","é":"ü"}"#,
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
        #expect(try JSONValue(json: Array("-0".utf8)) == .int(0))
        #expect(try JSONValue(json: Array("0".utf8)) == .int(0))
        // Past Int's range, as Foundation reads it: a double.
        #expect(try JSONValue(json: Array("92233720368547758080".utf8)) == .double(92_233_720_368_547_758_080))
    }

    @Test func escapesAndUnicodeReadAsWritten() throws {
        let text = #" { "a" : "line\nbreak \/ \u00e9 \ud83d\ude00 \b\f\r" , "b" : [ ] } "#
        let value = try JSONValue(json: Array(text.utf8))
        #expect(value["a"] == .string("line\nbreak / é 😀 \u{8}\u{c}\r"))
        #expect(value["b"] == .array([]))
        #expect(try JSONValue(json: Array(#""grüße 😀""#.utf8)) == .string("grüße 😀"))
    }

    @Test(arguments: [
        ("{", 1, "a member name"), (#"{"a" 1}"#, 5, "':'"), ("[1 2]", 3, "',' or ']'"), ("01", 0, "no leading zero"),
        ("1.", 2, "a digit after the decimal point"), ("tru", 0, "a value"), (#""\x""#, 2, #"an escape"#),
        (#""\ud83d""#, 7, "the low half of a surrogate pair"), ("\"a\nb\"", 2, "no control character in a string"),
        ("[1] 2", 4, "the end of the text"), ("", 0, "a value"), (#""abc"#, 4, "the end of the string"),
    ])
    func malformedTextNamesWhereAndWhat(text: String, offset: Int, expected: String) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue(json: Array(text.utf8)) }
        #expect(error?.offset == offset, "\(String(describing: error))")
        #expect(error?.expected.hasPrefix(expected) == true, "\(String(describing: error))")
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(json: [0x22, 0xFF, 0x22]) }
    }

    @Test func nestingBeyondTheLimitIsRefusedNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue(json: Array(deep.utf8)) }
        #expect(error?.expected.contains("levels of nesting") == true)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try JSONValue(json: Array(fine.utf8)).arrayValue?.count == 1)
    }

    /// Foundation's parser as the oracle, on the same generated documents: the same values.
    @Test func readsWhatFoundationReads() throws {
        var generator = SeededGenerator(seed: 20_261_203)
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, &generator)
            let text = value.canonicalJSON
            let ours = try JSONValue(json: text)
            #expect(ours == value)
            let foundation = try JSONSerialization.jsonObject(with: Data(text), options: .fragmentsAllowed)
            #expect(Self.same(ours, foundation), "\(String(decoding: text, as: UTF8.self))")
        }
    }

    /// Whether Foundation's reading is the same value, numbers compared by value.
    private static func same(_ value: JSONValue, _ foundation: Any) -> Bool {
        switch value {
        case .null: return foundation is NSNull
        case .bool(let bool): return (foundation as? Bool) == bool
        case .int(let int): return (foundation as? NSNumber)?.doubleValue == Double(int)
        case .double(let double): return (foundation as? NSNumber)?.doubleValue == double
        case .string(let string): return (foundation as? String) == string
        case .array(let elements):
            guard let others = foundation as? [Any], others.count == elements.count else { return false }
            return zip(elements, others).allSatisfy { same($0, $1) }
        case .object(let object):
            guard let others = foundation as? [String: Any], others.count == object.count else { return false }
            return object.allSatisfy { member in others[member.key].map { same(member.value, $0) } ?? false }
        }
    }

    private static func randomValue(depth: Int, _ generator: inout SeededGenerator) -> JSONValue {
        let strings = ["", "a", "é", "line\nbreak", "quote\"", "back\\slash", "😀", "tab\t", "\u{1}"]
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &generator))
        case 3: return .double(Double(Int.random(in: -10_000...10_000, using: &generator)) / 8 + 0.5)
        case 4: return .string(strings.randomElement(using: &generator)!)
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, &generator) })
        default:
            return .object(
                JSONObject(
                    (0..<Int.random(in: 0...4, using: &generator)).map { index in
                        (
                            "\(strings.randomElement(using: &generator)!)\(index)",
                            randomValue(depth: depth + 1, &generator)
                        )
                    }))
        }
    }
}

/// SplitMix64: the same documents on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
