/// The identity of a Kubernetes object: group, kind, namespace and name.
///
/// The version is deliberately not part of the key: `apps/v1` and `extensions/v1beta1` Deployments
/// with the same name are the same object to the cluster.
public struct ObjectKey: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The API group, empty for the core group (`v1`).
    public let group: String
    /// The kind, such as `Deployment`.
    public let kind: String
    /// The namespace, or `nil` when the manifest does not name one.
    public let namespace: String?
    /// The object's name.
    public let name: String

    /// Creates a key.
    public init(group: String, kind: String, namespace: String?, name: String) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// `kind.group/namespace/name`, with `Kind` alone for the core group and no namespace part when unset,
    /// e.g. `Deployment.apps/shop/web` or `ConfigMap/settings`.
    public var description: String {
        let type = group.isEmpty ? kind : "\(kind).\(group)"
        guard let namespace else { return "\(type)/\(name)" }
        return "\(type)/\(namespace)/\(name)"
    }

    /// By group, kind, namespace (none first) and name.
    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.group, lhs.kind, lhs.namespace ?? "", lhs.name) < (rhs.group, rhs.kind, rhs.namespace ?? "", rhs.name)
    }
}
