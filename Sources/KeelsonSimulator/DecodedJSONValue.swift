import Foundation
import KeelsonManifests

/// Reads stored JSON text (a pod template's canonical JSON) back into a ``JSONValue``.
struct DecodedJSONValue: Decodable {
    var value: JSONValue

    /// Parses `text`; `nil` when it is not JSON, which a template built from a manifest never is.
    static func parse(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(Self.self, from: Data(text.utf8)).value
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool before Int: Foundation refuses to read a number as a Bool, but `true` must not become 1.
        if container.decodeNil() {
            value = .null
        } else if let bool = try? container.decode(Bool.self) {
            value = .bool(bool)
        } else if let int = try? container.decode(Int.self) {
            value = .int(int)
        } else if let double = try? container.decode(Double.self) {
            value = .double(double)
        } else if let string = try? container.decode(String.self) {
            value = .string(string)
        } else if let array = try? container.decode([DecodedJSONValue].self) {
            value = .array(array.map(\.value))
        } else {
            value = .object(JSONObject(try container.decode([String: DecodedJSONValue].self).mapValues(\.value)))
        }
    }
}
