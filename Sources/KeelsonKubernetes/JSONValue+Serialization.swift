extension JSONValue {
    /// The canonical compact JSON encoding: keys sorted by their UTF-8 bytes, no insignificant whitespace.
    ///
    /// Equal values always produce identical bytes, which is what ``KubeObject/contentHash`` is computed from.
    public var canonicalJSON: [UInt8] {
        var output: [UInt8] = []
        write(to: &output, indent: nil, depth: 0)
        return output
    }

    /// ``canonicalJSON`` as text.
    public var canonicalText: String { String(decoding: canonicalJSON, as: UTF8.self) }

    /// A pretty-printed JSON encoding with sorted keys, in the style of `kubectl get -o json`.
    ///
    /// - Parameter indent: Spaces per nesting level; `kubectl` uses 4.
    /// - Returns: The encoding, ending without a newline.
    public func prettyJSON(indent: Int = 4) -> String {
        var output: [UInt8] = []
        write(to: &output, indent: max(indent, 0), depth: 0)
        return String(decoding: output, as: UTF8.self)
    }

    private func write(to output: inout [UInt8], indent: Int?, depth: Int) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let bool):
            output.append(contentsOf: (bool ? "true" : "false").utf8)
        case .int(let int):
            output.append(contentsOf: String(int).utf8)
        case .double(let double):
            output.append(contentsOf: double.description.utf8)
        case .string(let string):
            Self.writeString(string, to: &output)
        case .array(let elements):
            writeContainer(
                open: UInt8(ascii: "["), close: UInt8(ascii: "]"), count: elements.count,
                to: &output, indent: indent, depth: depth
            ) { index, output in
                elements[index].write(to: &output, indent: indent, depth: depth + 1)
            }
        case .object(let object):
            writeContainer(
                open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), count: object.count,
                to: &output, indent: indent, depth: depth
            ) { index, output in
                let member = object[index]
                Self.writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                if indent != nil { output.append(UInt8(ascii: " ")) }
                member.value.write(to: &output, indent: indent, depth: depth + 1)
            }
        }
    }

    private func writeContainer(
        open: UInt8, close: UInt8, count: Int, to output: inout [UInt8], indent: Int?, depth: Int,
        element: (Int, inout [UInt8]) -> Void
    ) {
        output.append(open)
        guard count > 0 else {
            output.append(close)
            return
        }
        for index in 0..<count {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if let indent {
                output.append(UInt8(ascii: "\n"))
                output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * (depth + 1)))
            }
            element(index, &output)
        }
        if let indent {
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
        }
        output.append(close)
    }

    private static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most strings need no escape: they are copied whole.
        if !string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output.append(contentsOf: string.utf8)
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): output.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): output.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): output.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
