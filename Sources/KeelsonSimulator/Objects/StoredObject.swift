import KeelsonKubernetes

/// An object the simulated cluster keeps as given, without a controller: a Service, a ConfigMap, …
public struct StoredObject: Codable, Sendable, Hashable {
    /// Its identity; no namespace for a cluster-scoped object.
    public var key: ObjectKey
    /// The application it was applied for, and the content hash of what was applied.
    public var application: String?
    public var appliedHash: String?
    /// The object as applied.
    public var body: JSONValue

    public init(key: ObjectKey, application: String?, appliedHash: String?, body: JSONValue) {
        self.key = key
        self.application = application
        self.appliedHash = appliedHash
        self.body = body
    }

    private enum CodingKeys: String, CodingKey {
        case group, kind, namespace, name, application, appliedHash, body
    }

    /// Reads the row: a cluster-scoped object's namespace is stored empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let namespace = try container.decode(String.self, forKey: .namespace)
        key = ObjectKey(
            group: try container.decode(String.self, forKey: .group),
            kind: try container.decode(String.self, forKey: .kind),
            namespace: namespace.isEmpty ? nil : namespace, name: try container.decode(String.self, forKey: .name))
        application = try container.decodeIfPresent(String.self, forKey: .application)
        appliedHash = try container.decodeIfPresent(String.self, forKey: .appliedHash)
        body = try JSONValue(json: Array(try container.decode(String.self, forKey: .body).utf8))
    }

    /// The body is kept as its canonical JSON text, so numbers read back exactly as applied.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key.group, forKey: .group)
        try container.encode(key.kind, forKey: .kind)
        try container.encode(key.namespace ?? "", forKey: .namespace)
        try container.encode(key.name, forKey: .name)
        try container.encodeIfPresent(application, forKey: .application)
        try container.encodeIfPresent(appliedHash, forKey: .appliedHash)
        try container.encode(body.canonicalText, forKey: .body)
    }
}
