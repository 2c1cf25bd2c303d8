/// A JSON-like value: the raw body of a Kubernetes object.
///
/// Objects are held as ``JSONObject``s whose members are kept sorted by key, so iterating, serialising and
/// hashing a value never depends on the order in which keys appeared in the source file.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The member named `key` when this value is an object, otherwise `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The string payload, or `nil` when this value is not a string.
    public var stringValue: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }

    /// The boolean payload, or `nil` when this value is not a boolean.
    public var boolValue: Bool? {
        guard case .bool(let bool) = self else { return nil }
        return bool
    }

    /// The integer payload, or `nil` when this value is not an integer.
    public var intValue: Int? {
        guard case .int(let int) = self else { return nil }
        return int
    }

    /// The elements, or `nil` when this value is not an array.
    public var arrayValue: [JSONValue]? {
        guard case .array(let array) = self else { return nil }
        return array
    }

    /// The object, or `nil` when this value is not an object.
    public var objectValue: JSONObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }
}
