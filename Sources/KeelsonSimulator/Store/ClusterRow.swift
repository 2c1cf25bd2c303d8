import KeelsonKubernetes

/// An object as the cluster's store keeps it, one row each: its API JSON, less what the cluster
/// already keeps in another row.
protocol ClusterRow: ClusterObject, KubernetesJSON, Equatable {
    /// The row's JSON.
    var row: JSONValue { get }
}

extension Deployment: ClusterRow {
    var row: JSONValue { json }
}

extension ReplicaSet: ClusterRow {
    var row: JSONValue { json }
}

extension Pod: ClusterRow {
    /// A pod's spec is its ReplicaSet's template's, kept once in the ReplicaSet's row: 100,000
    /// pods would otherwise write their template 100,000 times.
    var row: JSONValue {
        .object(
            JSONObject([
                ("apiVersion", .string(Self.apiVersion)), ("kind", .string(Self.kind)), ("metadata", metadata.json),
                ("status", status.json),
            ]))
    }

    /// A pod read from its ``row``, its spec its ReplicaSet's; nil when that ReplicaSet is gone
    /// (the garbage collector drops such a pod).
    init?(row: JSONValue, replicaSets: [OwnerName: ReplicaSet]) throws(APIFieldError) {
        let metadata: ObjectMeta = try row.decoded("metadata")
        guard let owner = metadata.ownerReferences.first(where: \.controller),
            let replicaSet = replicaSets[OwnerName(namespace: metadata.namespace ?? "", name: owner.name)]
        else { return nil }
        self.init(
            metadata: metadata, spec: replicaSet.spec.template.spec,
            status: try row.decodedIfPresent("status") ?? PodStatus())
    }
}

/// A namespace and a name: how a row finds the object that owns it.
struct OwnerName: Hashable {
    let namespace: String
    let name: String
}
