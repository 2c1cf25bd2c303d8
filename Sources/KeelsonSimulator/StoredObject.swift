import KeelsonManifests

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
    var storageKey: String { "\(group)/\(kind)/\(namespace)/\(name)" }
}
