import Foundation
import KeelsonKubernetes

/// A Kubernetes value kept in the cluster's store as its canonical JSON text (as ``StoredObject``
/// keeps its body), so that it reads back exactly as it was written: through `JSONDecoder`, a
/// template's `cpu: 1.0` would come back as `1`, and with it another pod-template hash.
@propertyWrapper
public struct StoredAsJSONText<Value: KubernetesJSON & Hashable>: Codable, Sendable, Hashable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        wrappedValue = try Value(json: JSONValue(json: Array(text.utf8)))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue.json.canonicalText)
    }
}
