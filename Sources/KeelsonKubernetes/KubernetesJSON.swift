/// A Kubernetes API value with one JSON shape, the API server's: read from and written as a
/// ``JSONValue``, and `Codable` through it, so that every output (`render -o json`, `cluster get`,
/// the simulator's store, an API server's answers) writes it the same way.
public protocol KubernetesJSON: Codable, Sendable {
    /// Reads the value as an API server returns it (defaulted): an absent optional field stays
    /// absent.
    ///
    /// - Throws: ``APIFieldError`` naming the field and what was expected.
    init(json: JSONValue) throws(APIFieldError)
    /// The value as an API server writes it, empty optional fields left out.
    var json: JSONValue { get }
}

extension KubernetesJSON {
    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}

/// A field of Kubernetes JSON that does not hold what the API defines there.
public struct APIFieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path of the field, such as `spec.strategy.type`.
    public var field: String
    /// What the API defines there, and what was found.
    public var problem: String

    public init(field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    /// The same error for a field inside `parent`.
    public func inside(_ parent: String) -> APIFieldError {
        APIFieldError(field: field.isEmpty ? parent : parent + "." + field, problem)
    }

    public var description: String { field.isEmpty ? problem : "\(field): \(problem)" }
}

/// Typed reads of an object's members, each failing with the member's name.
extension JSONValue {
    /// The object itself.
    package func object(_ field: String = "") throws(APIFieldError) -> JSONObject {
        guard case .object(let object) = self else { throw APIFieldError(field: field, "expected an object") }
        return object
    }

    /// The member `key` read as `T` (absent reads as null); an error names the member.
    package func decoded<T: KubernetesJSON>(_ key: String) throws(APIFieldError) -> T {
        do { return try T(json: self[key] ?? .null) } catch { throw error.inside(key) }
    }

    /// The member `key` read as `T`, or nil when absent; an error names the member.
    package func decodedIfPresent<T: KubernetesJSON>(_ key: String) throws(APIFieldError) -> T? {
        guard self[key] != nil else { return nil }
        return try decoded(key) as T
    }

    /// Each element of the list `key` read as `T`, none when it is absent or no list; an error
    /// names the element (`conditions[2]`).
    package func decodedList<T: KubernetesJSON>(_ key: String) throws(APIFieldError) -> [T] {
        var elements: [T] = []
        for (index, element) in (self[key]?.arrayValue ?? []).enumerated() {
            do { elements.append(try T(json: element)) } catch { throw error.inside("\(key)[\(index)]") }
        }
        return elements
    }

    /// The member `key` as an integer; `fallback` when absent or null.
    package func int(_ key: String, or fallback: Int) throws(APIFieldError) -> Int {
        try optionalInt(key) ?? fallback
    }

    /// The member `key` as an integer, or nil when absent or null.
    package func optionalInt(_ key: String) throws(APIFieldError) -> Int? {
        switch self[key] {
        case nil, .null?: return nil
        case .int(let value)?: return value
        default: throw APIFieldError(field: key, "expected an integer")
        }
    }

    /// The member `key` as a string, or nil when absent or null.
    package func optionalString(_ key: String) throws(APIFieldError) -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw APIFieldError(field: key, "expected a string")
        }
    }

    /// The member `key` as a boolean; `fallback` when absent or null.
    package func bool(_ key: String, or fallback: Bool) throws(APIFieldError) -> Bool {
        switch self[key] {
        case nil, .null?: return fallback
        case .bool(let value)?: return value
        default: throw APIFieldError(field: key, "expected true or false")
        }
    }

    /// The member `key` as a string map (labels, annotations), empty when absent. A null value
    /// is the empty string, as the API server reads it into a Go string.
    package func stringMap(_ key: String) throws(APIFieldError) -> [String: String] {
        switch self[key] {
        case nil, .null?: return [:]
        case .object(let object)?:
            var map: [String: String] = [:]
            for member in object {
                switch member.value {
                case .string(let value): map[member.key] = value
                case .null: map[member.key] = ""
                default: throw APIFieldError(field: "\(key).\(member.key)", "expected a string")
                }
            }
            return map
        default: throw APIFieldError(field: key, "expected a map of strings")
        }
    }
}

extension JSONObject {
    /// An object of the members whose value is not nil, as `omitempty` writes it.
    package static func omittingNil(_ members: [(String, JSONValue?)]) -> JSONObject {
        JSONObject(members.compactMap { key, value in value.map { (key, $0) } })
    }

    /// A string map as JSON.
    package static func strings(_ map: [String: String]) -> JSONValue {
        .object(JSONObject(map.mapValues(JSONValue.string)))
    }
}
