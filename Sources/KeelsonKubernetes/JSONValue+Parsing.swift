import Foundation

extension JSONValue {
    /// Parses JSON text, such as ``canonicalJSON`` wrote, keeping numbers as written: `1` is
    /// `.int`, `1.0` and `1e3` are `.double`, so canonical text round-trips byte for byte.
    ///
    /// - Throws: Foundation's error when the text is not JSON.
    public init(json: [UInt8]) throws {
        self = Self.converting(try JSONSerialization.jsonObject(with: Data(json), options: .fragmentsAllowed))
    }

    private static func converting(_ value: Any) -> JSONValue {
        switch value {
        case let string as String:
            return .string(string)
        case let number as NSNumber:
            // Foundation reports how it read each number: `c` for true/false, `d` or `f` for a
            // fraction or exponent, an integer code otherwise.
            switch String(cString: number.objCType) {
            case "c": return .bool(number.boolValue)
            case "d", "f": return .double(number.doubleValue)
            default: return .int(number.intValue)
            }
        case let array as [Any]:
            return .array(array.map(converting))
        case let object as [String: Any]:
            return .object(JSONObject(object.mapValues(converting)))
        default:
            return .null
        }
    }
}
