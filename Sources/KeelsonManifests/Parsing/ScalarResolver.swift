import KeelsonKubernetes
import Yams

/// Resolves YAML scalars to JSON values the way Kubernetes' YAML reader (go-yaml, YAML 1.1) does.
///
/// Quoted and block scalars are strings. Plain scalars are `null`, booleans (`true`, `yes`, `on`, …),
/// integers (decimal, `0x`, `0o`, leading-zero octal, `0b`, with `_` separators), floats
/// (including `.inf` and `.nan`) or strings. An explicit standard tag (`!!str`, `!!int`, …) wins.
/// Done here rather than with Yams' resolver because that one evaluates a regular expression per
/// scalar, which dominates the cost of loading large folders.
enum ScalarResolver {
    private static let standardTagPrefix = "tag:yaml.org,2002:"

    static func resolve(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        let tag = scalar.tag.description
        if tag.hasPrefix(standardTagPrefix) {
            switch tag.dropFirst(standardTagPrefix.count) {
            case "str": return .string(text)
            case "null": return .null
            case "bool": return resolveBool(text).map(JSONValue.bool) ?? .string(text)
            case "int": return resolveInt(text) ?? .string(text)
            case "float": return resolveFloat(text) ?? resolveInt(text) ?? .string(text)
            default: return resolvePlain(text)
            }
        }
        guard scalar.style == .plain, tag.isEmpty else { return .string(text) }
        return resolvePlain(text)
    }

    static func isMergeKey(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && scalar.string == "<<"
    }

    private static func resolvePlain(_ text: String) -> JSONValue {
        guard let first = text.utf8.first else { return .null }
        // Most plain scalars are names and words; skip the number parsers for them.
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            if let int = resolveInt(text) { return int }
            if let float = resolveFloat(text) { return float }
            return .string(text)
        default:
            switch text {
            case "~", "null", "Null", "NULL": return .null
            default: return resolveBool(text).map(JSONValue.bool) ?? .string(text)
            }
        }
    }

    private static func resolveBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": false
        default: nil
        }
    }

    private static func resolveInt(_ text: String) -> JSONValue? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let radix: Int
        if digits.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("0o") {
            radix = 8
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("0b") {
            radix = 2
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.hasPrefix("0") {
            radix = 8
            digits = digits.dropFirst()
        } else {
            radix = 10
        }
        guard let firstDigit = digits.first, firstDigit != "_" else { return nil }
        let cleaned = digits.filter { $0 != "_" }
        guard let magnitude = UInt64(cleaned, radix: radix) else {
            // Out-of-range decimal integers become floats, as in go-yaml.
            return radix == 10 && cleaned.allSatisfy(\.isASCIIDigit) ? resolveFloat(text) : nil
        }
        if negative {
            return magnitude <= UInt64(Int.max) + 1
                ? .int(Int(truncatingIfNeeded: 0 &- magnitude)) : .double(-Double(magnitude))
        }
        return magnitude <= UInt64(Int.max) ? .int(Int(magnitude)) : .double(Double(magnitude))
    }

    /// `[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?`, `[-+]?.inf`, `.nan`
    private static func resolveFloat(_ text: String) -> JSONValue? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        let bytes = Array(text.utf8)
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        func isDigit(_ position: Int) -> Bool {
            position < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
        }
        var mantissaDigits = 0
        while isDigit(index) || (mantissaDigits > 0 && index < bytes.count && bytes[index] == UInt8(ascii: "_")) {
            mantissaDigits += 1
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while isDigit(index) || (index < bytes.count && bytes[index] == UInt8(ascii: "_")) {
                mantissaDigits += 1
                index += 1
            }
        }
        guard mantissaDigits > 0 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        guard index == bytes.count, let value = Double(text.filter { $0 != "_" }) else { return nil }
        return .double(value)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
