extension JSONValue {
    /// Parses JSON text (RFC 8259), such as ``canonicalJSON`` wrote, keeping numbers as written:
    /// `1` is `.int`, `1.0` and `1e3` are `.double`, so canonical text round-trips byte for byte.
    ///
    /// A parser of its own: Foundation's `JSONSerialization` reports numbers through `NSNumber`
    /// and, on Linux, bridges every object through `NSDictionary`, which made reading a cluster
    /// of 100,000 pods take 40 s.
    ///
    /// - Throws: ``JSONSyntaxError`` naming the byte offset and what was expected there.
    public init(json: [UInt8]) throws(JSONSyntaxError) {
        self = try json.withUnsafeBufferPointer { bytes throws(JSONSyntaxError) in
            var parser = JSONParser(bytes: bytes)
            let value = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.offset == bytes.count else { throw parser.error("the end of the text") }
            return value
        }
    }
}

/// JSON text that does not parse.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte offset where parsing stopped.
    public var offset: Int
    /// What was expected there.
    public var expected: String

    public var description: String { "invalid JSON at byte \(offset): expected \(expected)" }
}

/// A recursive-descent reader over UTF-8 bytes.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    /// Deeper nesting is refused rather than risking the stack.
    static let maxDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func error(_ expected: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset, expected: expected)
    }

    mutating func skipWhitespace() {
        while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
    }

    mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw error("a value") }
        guard depth < Self.maxDepth else { throw error("at most \(Self.maxDepth) levels of nesting") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object(try object(depth: depth))
        case UInt8(ascii: "["): return .array(try array(depth: depth))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count,
            (0..<count).allSatisfy({ bytes[offset + $0] == word.utf8Start[$0] })
        else { throw error("a value") }
        offset += count
        return value
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONObject {
        offset += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            return JSONObject(members)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw error("a member name") }
            let key = try string()
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw error("':'") }
            offset += 1
            members.append((key, try value(depth: depth + 1)))
            skipWhitespace()
            guard offset < bytes.count else { throw error("',' or '}'") }
            if bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return JSONObject(members)
            }
            guard bytes[offset] == UInt8(ascii: ",") else { throw error("',' or '}'") }
            offset += 1
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> [JSONValue] {
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return elements
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            guard offset < bytes.count else { throw error("',' or ']'") }
            if bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return elements
            }
            guard bytes[offset] == UInt8(ascii: ",") else { throw error("',' or ']'") }
            offset += 1
        }
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        offset += 1
        let start = offset
        // Most strings have no escapes: they are taken as they are.
        while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") {
            guard bytes[offset] >= 0x20 else { throw error("no control character in a string") }
            offset += 1
        }
        guard offset < bytes.count else { throw error("the end of the string") }
        if bytes[offset] == UInt8(ascii: "\"") {
            offset += 1
            guard
                let string = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<offset - 1]), as: UTF8.self)
            else { throw error("UTF-8 text") }
            return string
        }
        var text = Array(bytes[start..<offset])
        while bytes[offset] != UInt8(ascii: "\"") {
            offset += 1
            guard offset < bytes.count else { throw error("an escape") }
            let escaped = bytes[offset]
            offset += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"): text.append(contentsOf: try unicodeEscape())
            default:
                offset -= 1
                throw error("an escape such as \\n or \\u00e9")
            }
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\") {
                guard bytes[offset] >= 0x20 else { throw error("no control character in a string") }
                text.append(bytes[offset])
                offset += 1
            }
            guard offset < bytes.count else { throw error("the end of the string") }
        }
        offset += 1
        guard let string = String(validating: text, as: UTF8.self) else { throw error("UTF-8 text") }
        return string
    }

    /// The UTF-8 of `\uXXXX` (the `\u` read), a surrogate pair taking two escapes.
    private mutating func unicodeEscape() throws(JSONSyntaxError) -> [UInt8] {
        var scalar = try hexQuad()
        if (0xD800..<0xDC00).contains(scalar) {
            guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u")
            else { throw error("the low half of a surrogate pair") }
            offset += 2
            let low = try hexQuad()
            guard (0xDC00..<0xE000).contains(low) else { throw error("the low half of a surrogate pair") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("a Unicode scalar") }
        return Array(String(Character(unicode)).utf8)
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("four hex digits")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// `-? int frac? exp?`: an integer when there is neither fraction nor exponent and it fits.
    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = offset
        func digits() -> Int {
            let first = offset
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
            return offset - first
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let integerStart = offset
        guard digits() > 0 else {
            offset = start
            throw error("a value")
        }
        if bytes[integerStart] == UInt8(ascii: "0"), offset - integerStart > 1 {
            offset = integerStart
            throw error("no leading zero")
        }
        var integral = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            integral = false
            offset += 1
            guard digits() > 0 else { throw error("a digit after the decimal point") }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            integral = false
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard digits() > 0 else { throw error("a digit in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        if integral, let int = Int(text) { return .int(int) }
        guard let double = Double(text) else { throw error("a number") }
        return .double(double)
    }
}
