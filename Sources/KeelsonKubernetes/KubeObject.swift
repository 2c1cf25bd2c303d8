/// A Kubernetes object loaded from a manifest: its identity, its raw body and, for Deployments, a typed view.
///
/// Every kind is carried as a plain object (Services, ConfigMaps, HorizontalPodAutoscalers, custom resources…);
/// Deployments additionally get ``deployment``.
public struct KubeObject: Sendable, Hashable {
    /// The `apiVersion` as written, such as `apps/v1` or `v1`.
    public let apiVersion: String
    /// The `kind`, such as `Deployment`.
    public let kind: String
    /// `metadata.namespace`, or `nil` when the manifest leaves it to the application's destination.
    public let namespace: String?
    /// `metadata.name`.
    public let name: String
    /// The object exactly as written (no defaults applied), with keys sorted.
    public let body: JSONValue
    /// SHA-256 (lowercase hex) of ``body``'s canonical JSON: changes exactly when the content changes.
    public let contentHash: String
    /// The typed view with Kubernetes' defaults applied, present for Deployments only.
    public let deployment: DeploymentSpec?
    /// The file and line where the object's document (or `List` item) starts.
    public let source: SourceLocation

    /// Creates an object, computing its content hash.
    ///
    /// - Parameters:
    ///   - apiVersion: `apiVersion` as written.
    ///   - kind: `kind` as written.
    ///   - namespace: `metadata.namespace`, if any.
    ///   - name: `metadata.name`.
    ///   - body: The whole object.
    ///   - deployment: The typed Deployment view, if this is a Deployment.
    ///   - source: Where the object was defined.
    public init(
        apiVersion: String, kind: String, namespace: String?, name: String, body: JSONValue,
        deployment: DeploymentSpec? = nil, source: SourceLocation
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.body = body
        self.contentHash = Digest.sha256Hex(body.canonicalJSON)
        self.deployment = deployment
        self.source = source
    }

    private init(copying object: KubeObject, source: SourceLocation) {
        apiVersion = object.apiVersion
        kind = object.kind
        namespace = object.namespace
        name = object.name
        body = object.body
        contentHash = object.contentHash
        deployment = object.deployment
        self.source = source
    }

    /// The API group: the part of ``apiVersion`` before `/`, or empty for the core group.
    public var group: String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    /// The object's identity with the namespace as written.
    public var key: ObjectKey {
        ObjectKey(group: group, kind: kind, namespace: namespace, name: name)
    }

    /// The object's identity once the application's default namespace is applied.
    ///
    /// Well-known cluster-scoped kinds (``clusterScopedKinds``) never receive a namespace.
    ///
    /// - Parameter defaultNamespace: The destination namespace used when the manifest names none.
    /// - Returns: The key the object will have in the cluster.
    public func key(defaultNamespace: String) -> ObjectKey {
        if namespace != nil || isClusterScoped { return key }
        return ObjectKey(group: group, kind: kind, namespace: defaultNamespace, name: name)
    }

    /// Whether the kind is one of the well-known cluster-scoped kinds.
    public var isClusterScoped: Bool {
        Self.clusterScopedKinds.contains(ObjectKind(group: group, kind: kind))
    }

    /// A group and kind pair.
    public struct ObjectKind: Sendable, Hashable {
        /// The API group, empty for core.
        public let group: String
        /// The kind.
        public let kind: String

        public init(group: String, kind: String) {
            self.group = group
            self.kind = kind
        }
    }

    /// Built-in kinds that live outside namespaces. Custom cluster-scoped resources are not known here.
    public static let clusterScopedKinds: Set<ObjectKind> = [
        ObjectKind(group: "", kind: "Namespace"),
        ObjectKind(group: "", kind: "Node"),
        ObjectKind(group: "", kind: "PersistentVolume"),
        ObjectKind(group: "rbac.authorization.k8s.io", kind: "ClusterRole"),
        ObjectKind(group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding"),
        ObjectKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition"),
        ObjectKind(group: "storage.k8s.io", kind: "StorageClass"),
        ObjectKind(group: "scheduling.k8s.io", kind: "PriorityClass"),
        ObjectKind(group: "networking.k8s.io", kind: "IngressClass"),
        ObjectKind(group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration"),
        ObjectKind(group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration"),
        ObjectKind(group: "apiregistration.k8s.io", kind: "APIService"),
    ]

    /// The same object attributed to another file, used when a cached parse is reused under a new path.
    package func relocated(to file: String) -> KubeObject {
        KubeObject(copying: self, source: SourceLocation(file: file, line: source.line))
    }
}
