import KeelsonKubernetes

/// Block-style YAML as `kubectl get -o yaml` prints it: keys in the JSON's (sorted) order, two-space indentation,
/// sequence items at their parent key's column, and strings quoted only when a plain scalar would read back as
/// something else.
public enum KubectlYAML {
    /// Renders `value` as a YAML document, ending with a newline.
    public static func render(_ value: JSONValue) -> String {
        var lines: [String] = []
        switch value {
        case .object(let object) where !object.isEmpty:
            appendMembers(object, indent: "", to: &lines)
        case .array(let array) where !array.isEmpty:
            appendElements(array, indent: "", to: &lines)
        default:
            lines.append(scalar(value))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func appendMembers(_ object: JSONObject, indent: String, to lines: inout [String]) {
        for member in object {
            let key = indent + quoted(member.key) + ":"
            switch member.value {
            case .object(let child) where !child.isEmpty:
                lines.append(key)
                appendMembers(child, indent: indent + "  ", to: &lines)
            case .array(let elements) where !elements.isEmpty:
                lines.append(key)
                appendElements(elements, indent: indent, to: &lines)
            default:
                lines.append(key + " " + scalar(member.value))
            }
        }
    }

    private static func appendElements(_ elements: [JSONValue], indent: String, to lines: inout [String]) {
        for element in elements {
            var nested: [String] = []
            switch element {
            case .object(let object) where !object.isEmpty:
                appendMembers(object, indent: indent + "  ", to: &nested)
            case .array(let array) where !array.isEmpty:
                appendElements(array, indent: indent + "  ", to: &nested)
            default:
                lines.append(indent + "- " + scalar(element))
                continue
            }
            // The first line of the nested block moves up beside the dash.
            nested[0] = indent + "- " + nested[0].dropFirst(indent.count + 2)
            lines += nested
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .int(let int): String(int)
        case .double(let double): double.description
        case .string(let string): quoted(string)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// `text` as a plain, single-quoted or double-quoted scalar, whichever is the first that reads back as it.
    static func quoted(_ text: String) -> String {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return doubleQuoted(text)
        }
        if looksLikeAnotherType(text) { return "\"" + text + "\"" }
        if needsQuotes(text) { return "'" + text.replacingAll("'", with: "''") + "'" }
        return text
    }

    /// Whether a YAML 1.1 or 1.2 reader would take the plain scalar for a null, boolean, number or timestamp.
    private static func looksLikeAnotherType(_ text: String) -> Bool {
        let keywords: Set<String> = [
            "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "y", "Y", "yes",
            "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF",
            "-.inf", "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN", "<<", "=",
        ]
        if keywords.contains(text) { return true }
        if looksNumeric(text) { return true }
        // A date (`2026-01-01`) or timestamp resolves to a time in YAML 1.1.
        let prefix = Array(text.prefix(10))
        return prefix.count == 10 && prefix[4] == "-" && prefix[7] == "-"
            && prefix.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || $0.element.isNumber }
    }

    /// Integers in any base YAML 1.1 knows (with `_` separators, and `1:30` sexagesimals) and floats.
    private static func looksNumeric(_ text: String) -> Bool {
        let body = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
        let lower = body.lowercased()
        for (prefix, digits) in [("0x", "0123456789abcdef_"), ("0o", "01234567_"), ("0b", "01_")]
        where lower.hasPrefix(prefix) && lower.count > 2 {
            if lower.dropFirst(2).allSatisfy({ digits.contains($0) }) { return true }
        }
        if let first = body.first, first.isASCII, first.isNumber,
            body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_" || $0 == ":") })
        {
            return true
        }
        return Double(text.filter { $0 != "_" }) != nil
    }

    private static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        if first == " " || last == " " { return true }
        if "!&*{}[],#|>@`\"'%".contains(first) { return true }
        if "-?:".contains(first), text.count == 1 || text.dropFirst().first == " " { return true }
        if last == ":" { return true }
        return text.contains(": ") || text.contains(" #")
    }

    private static func doubleQuoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                output += "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        reduce(into: "") { output, character in
            if character == target { output += replacement } else { output.append(character) }
        }
    }
}
