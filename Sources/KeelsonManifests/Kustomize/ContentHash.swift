import KeelsonKubernetes

/// kustomize's content-hash name suffix for generated ConfigMaps and Secrets (kustomize's `api/hasher`), so
/// names match `kustomize build` byte for byte.
///
/// The suffix is the first 10 hex digits of the SHA-256 of a JSON encoding (Go's `encoding/json`, keys
/// sorted) of the object's kind and data (and a Secret's type), with `0`, `1`, `3`, `a` and `e` replaced by
/// `g`, `h`, `k`, `m` and `t` so it never reads as a number or a word. The encoding has a `name` member, but
/// kustomize looks the name up as a single key `metadata/name`, which no object has, so it is always empty:
/// ConfigMaps with the same data get the same suffix whatever their names.
enum ContentHash {
    /// The suffix for a ConfigMap or Secret body.
    static func suffix(for body: JSONValue) -> String {
        let kind = body["kind"]?.stringValue ?? ""
        var members: [(String, JSONValue)] = [
            ("kind", .string(kind)), ("name", field(body["metadata/name"])), ("data", field(body["data"])),
        ]
        if kind == "Secret" {
            members.append(("type", field(body["type"])))
            if case .object = body["stringData"] { members.append(("stringData", body["stringData"]!)) }
        } else if case .object = body["binaryData"] {
            members.append(("binaryData", body["binaryData"]!))
        }
        return encode(hex: Digest.sha256Hex(goJSON(.object(JSONObject(members)))))
    }

    /// A missing field hashes as an empty string, as in kustomize.
    private static func field(_ value: JSONValue?) -> JSONValue {
        value ?? .string("")
    }

    static func encode(hex: String) -> String {
        String(
            hex.prefix(10).map { digit -> Character in
                switch digit {
                case "0": "g"
                case "1": "h"
                case "3": "k"
                case "a": "m"
                case "e": "t"
                default: digit
                }
            })
    }

    /// The value as Go's `json.Marshal` writes it: sorted keys, no spaces, HTML characters escaped.
    static func goJSON(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null: output += Array("null".utf8)
        case .bool(let bool): output += Array((bool ? "true" : "false").utf8)
        case .int(let int): output += Array(String(int).utf8)
        case .double(let double):
            let integral = double.rounded() == double && abs(double) < 1e21
            output += Array((integral ? String(Int(double)) : double.description).utf8)
        case .string(let string): writeString(string, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ string: String, to output: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += Array(#"\""#.utf8)
            case "\\": output += Array(#"\\"#.utf8)
            case "\n": output += Array(#"\n"#.utf8)
            case "\r": output += Array(#"\r"#.utf8)
            case "\t": output += Array(#"\t"#.utf8)
            case "\u{8}": output += Array(#"\b"#.utf8)
            case "\u{C}": output += Array(#"\f"#.utf8)
            case "<", ">", "&", "\u{2028}", "\u{2029}", "\u{0}"..."\u{1F}":
                let code = Int(scalar.value)
                output += Array(#"\u"#.utf8)
                for shift in [12, 8, 4, 0] { output.append(hex[(code >> shift) & 0xF]) }
            default:
                output += Array(String(scalar).utf8)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
