import KeelsonKubernetes

/// The identity kustomize gives an object: group, version, kind, name and namespace (empty when unset).
struct ResourceID: Sendable, Hashable, CustomStringConvertible {
    var group: String
    var version: String
    var kind: String
    var name: String
    var namespace: String

    /// The identity of an object's body as it is now.
    init(_ body: JSONValue) {
        let apiVersion = body["apiVersion"]?.stringValue ?? ""
        if let slash = apiVersion.firstIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        kind = body["kind"]?.stringValue ?? ""
        name = body.value(at: ["metadata", "name"])?.stringValue ?? ""
        namespace = body.value(at: ["metadata", "namespace"])?.stringValue ?? ""
    }

    /// Whether both name one object for kustomize: same type and name, namespaces equal with unset meaning `default`.
    func isSameObject(as other: ResourceID) -> Bool {
        identity == other.identity
    }

    /// The identity with an unset namespace written `default`: equal exactly when ``isSameObject(as:)``.
    var identity: ResourceID {
        var identity = self
        if identity.namespace.isEmpty { identity.namespace = "default" }
        return identity
    }

    /// Whether the namespaces are equal, unset counting as `default`.
    func isInSameNamespace(as other: ResourceID) -> Bool {
        (namespace.isEmpty ? "default" : namespace) == (other.namespace.isEmpty ? "default" : other.namespace)
    }

    /// Whether the kind is a well-known cluster-scoped one (``KubeObject/clusterScopedKinds``).
    var isClusterScoped: Bool {
        KubeObject.clusterScopedKinds.contains(KubeObject.ObjectKind(group: group, kind: kind))
    }

    var description: String {
        ObjectKey(group: group, kind: kind, namespace: namespace.isEmpty ? nil : namespace, name: name).description
    }
}

/// One object on its way through a kustomize build: its body now, and what kustomize remembers of its past.
struct KustomizeResource: Sendable {
    /// The object as transformed so far.
    var body: JSONValue {
        didSet { id = ResourceID(body) }
    }
    /// Its identity now, read from ``body``.
    private(set) var id: ResourceID
    /// Where it was written: its document in a file, or the generator entry that made it.
    let origin: SourceLocation
    /// The document it was read from, to place fields of the final object at their original lines.
    let node: SourceNode?
    /// Its identities before each rename or move, oldest first: patches, `replicas` and references may use them.
    var previousIDs: [ResourceID] = []
    /// The `namePrefix` and `nameSuffix` of every kustomization it passed through, innermost first.
    var prefixes: [String] = []
    var suffixes: [String] = []
    /// Whether a content-hash suffix is added to its name at the end of the build (generated objects).
    var needsHash = false

    init(body: JSONValue, origin: SourceLocation, node: SourceNode?) {
        self.body = body
        self.origin = origin
        self.node = node
        id = ResourceID(body)
    }

    /// The identity it was written with.
    var originalID: ResourceID { previousIDs.first ?? id }

    /// Remembers the current identity before a transformer changes it.
    mutating func storePreviousID() {
        previousIDs.append(id)
    }

    /// Whether the current identity or an earlier one satisfies `matches`.
    func hasID(where matches: (ResourceID) -> Bool) -> Bool {
        matches(id) || previousIDs.contains(where: matches)
    }
}
