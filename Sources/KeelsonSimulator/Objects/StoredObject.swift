import KeelsonKubernetes

/// An object the simulated cluster keeps as given, without a controller: a Service, a ConfigMap, …
public struct StoredObject: Codable, Sendable, Hashable {
    /// API group (empty for the core group), kind, namespace (empty for cluster-scoped) and name.
    public var group: String
    public var kind: String
    public var namespace: String
    public var name: String
    /// The application it was applied for, and the content hash of what was applied.
    public var application: String?
    public var appliedHash: String?
    /// The object as applied.
    public var body: JSONValue

    public init(
        group: String, kind: String, namespace: String, name: String, application: String?, appliedHash: String?,
        body: JSONValue
    ) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.application = application
        self.appliedHash = appliedHash
        self.body = body
    }

    /// `group/kind/namespace/name`: unique in the cluster.
    var storageKey: String { Self.storageKey(group: group, kind: kind, namespace: namespace, name: name) }

    static func storageKey(group: String, kind: String, namespace: String, name: String) -> String {
        "\(group)/\(kind)/\(namespace)/\(name)"
    }

    private enum CodingKeys: String, CodingKey {
        case group, kind, namespace, name, application, appliedHash, body
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        group = try container.decode(String.self, forKey: .group)
        kind = try container.decode(String.self, forKey: .kind)
        namespace = try container.decode(String.self, forKey: .namespace)
        name = try container.decode(String.self, forKey: .name)
        application = try container.decodeIfPresent(String.self, forKey: .application)
        appliedHash = try container.decodeIfPresent(String.self, forKey: .appliedHash)
        body = try JSONValue(json: Array(try container.decode(String.self, forKey: .body).utf8))
    }

    /// The body is kept as its canonical JSON text, so numbers read back exactly as applied.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(group, forKey: .group)
        try container.encode(kind, forKey: .kind)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(application, forKey: .application)
        try container.encodeIfPresent(appliedHash, forKey: .appliedHash)
        try container.encode(body.canonicalText, forKey: .body)
    }
}
