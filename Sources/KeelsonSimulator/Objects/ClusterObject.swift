import KeelsonKubernetes

/// A Deployment, ReplicaSet or pod of the simulated cluster, read through its metadata. Every one
/// has a namespace and a creation time: the cluster sets both when it creates the object.
public protocol ClusterObject {
    /// `Deployment`, `ReplicaSet` or `Pod`.
    static var kind: String { get }
    var metadata: ObjectMeta { get set }
}

extension ClusterObject {
    /// The name, unique within the namespace and kind.
    public var name: String { metadata.name }
    /// The namespace.
    public var namespace: String { metadata.namespace ?? "" }
    /// `metadata.annotations`.
    public var annotations: [String: String] {
        get { metadata.annotations }
        set { metadata.annotations = newValue }
    }
    /// When the cluster created it.
    public var createdAt: Time { metadata.creationTimestamp ?? .clusterEpoch }
    /// The name of the object that controls it (a ReplicaSet's Deployment, a pod's ReplicaSet).
    public var owner: String { metadata.ownerReferences.first { $0.controller }?.name ?? "" }
}

extension Deployment: ClusterObject {}
extension ReplicaSet: ClusterObject {}
extension Pod: ClusterObject {}
