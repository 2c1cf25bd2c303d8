import KeelsonKubernetes

/// The simulator's objects shaped as `kubectl get -o json` shows them on Kubernetes 1.30.
///
/// Fields the API server leaves out when empty (`omitempty` in the Go types) are left out here too: a status count
/// of 0, `paused: false`, `minReadySeconds: 0`, empty annotations. Times are RFC 3339, counted from
/// ``SimTime/wallClockEpochUnixSeconds``. Fields the simulator does not model (`uid`, `resourceVersion`,
/// `managedFields`) are omitted.
public enum KubectlObjects {
    /// An `apps/v1` Deployment.
    public static func deployment(_ deployment: SimDeployment) -> JSONValue {
        let spec = deployment.spec
        let status = deployment.status
        return object([
            ("apiVersion", .string("apps/v1")),
            ("kind", .string("Deployment")),
            (
                "metadata",
                metadata(
                    name: deployment.name, namespace: deployment.namespace,
                    createdAt: deployment.createdAt ?? .epoch, generation: deployment.generation,
                    annotations: deployment.annotations, labels: deployment.labels)
            ),
            ("spec", spec.json),
            ("status", status.json),
        ])
    }

    /// An `apps/v1` ReplicaSet, labelled and selected by its `pod-template-hash`, owned by its Deployment.
    ///
    /// `status.replicas` is always present, as it is not `omitempty` upstream.
    public static func replicaSet(_ replicaSet: SimReplicaSet) -> JSONValue {
        let template = templateValue(replicaSet.template, extraLabels: hashLabel(replicaSet))
        let labels = labels(of: template)
        return object([
            ("apiVersion", .string("apps/v1")),
            ("kind", .string("ReplicaSet")),
            (
                "metadata",
                metadata(
                    name: replicaSet.name, namespace: replicaSet.namespace, createdAt: replicaSet.createdAt,
                    annotations: replicaSet.annotations, labels: labels.strings(at: []),
                    owner: OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: replicaSet.owner))
            ),
            (
                "spec",
                object([
                    ("minReadySeconds", omittingZero(replicaSet.minReadySeconds)),
                    ("replicas", .int(replicaSet.replicas)),
                    ("selector", selector(labels)),
                    ("template", template),
                ])
            ),
            (
                "status",
                object([
                    ("availableReplicas", omittingZero(replicaSet.status.availableReplicas)),
                    ("fullyLabeledReplicas", omittingZero(replicaSet.status.replicas)),
                    ("readyReplicas", omittingZero(replicaSet.status.readyReplicas)),
                    ("replicas", .int(replicaSet.status.replicas)),
                ])
            ),
        ])
    }

    /// A `v1` Pod with its owner's labels and pod spec, its `Ready` conditions and container statuses.
    ///
    /// - Parameters:
    ///   - pod: The pod.
    ///   - cluster: The cluster it runs in, for its ReplicaSet (template, labels) and faults (crash loops).
    public static func pod(_ pod: SimPod, in cluster: SimCluster) -> JSONValue {
        let replicaSet = cluster.replicaSet(pod.owner, namespace: pod.namespace)
        let state = KubectlPodState(pod, replicaSet: replicaSet, faults: cluster.faults)
        let template = replicaSet.map { templateValue($0.template, extraLabels: hashLabel($0)) } ?? .object(.init([]))
        let metadata = metadata(
            name: pod.name, namespace: pod.namespace, createdAt: pod.createdAt, annotations: [:],
            labels: labels(of: template).strings(at: []),
            owner: OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: pod.owner),
            generateName: "\(pod.owner)-")
        return object([
            ("apiVersion", .string("v1")),
            ("kind", .string("Pod")),
            ("metadata", metadata),
            ("spec", template["spec"] ?? .object(.init([]))),
            ("status", podStatus(pod, state)),
        ])
    }

    /// A `v1` Event about a Deployment, ReplicaSet or Pod, named as client-go's recorder names it
    /// (`<object>.<hex nanoseconds>`), reported by the controller that acts on that kind.
    public static func event(_ event: SimEvent) -> JSONValue {
        let component: String =
            switch event.kind {
            case "Deployment": "deployment-controller"
            case "ReplicaSet": "replicaset-controller"
            default: "kubelet"
            }
        let time = event.time.wallClock.json
        let nanoseconds = event.time.wallClock.unixSeconds * 1_000_000_000
        return object([
            ("apiVersion", .string("v1")),
            ("count", .int(1)),
            ("eventTime", .null),
            ("firstTimestamp", time),
            (
                "involvedObject",
                object([
                    ("apiVersion", .string(event.kind == "Pod" ? "v1" : "apps/v1")),
                    ("kind", .string(event.kind)),
                    ("name", .string(event.name)),
                    ("namespace", .string(event.namespace)),
                ])
            ),
            ("kind", .string("Event")),
            ("lastTimestamp", time),
            ("message", .string(event.message)),
            (
                "metadata",
                object([
                    ("creationTimestamp", time),
                    ("name", .string("\(event.name).\(String(nanoseconds, radix: 16))")),
                    ("namespace", .string(event.namespace)),
                ])
            ),
            ("reason", .string(event.reason)),
            ("reportingComponent", .string(component)),
            ("reportingInstance", .string("")),
            ("source", object([("component", .string(component))])),
            ("type", .string(event.type)),
        ])
    }

    /// The `List` kubectl prints when several objects are asked for.
    public static func list(_ items: [JSONValue]) -> JSONValue {
        object([
            ("apiVersion", .string("v1")),
            ("items", .array(items)),
            ("kind", .string("List")),
            ("metadata", object([("resourceVersion", .string(""))])),
        ])
    }

    /// An object of the members whose value is not `nil`.
    static func object(_ members: [(String, JSONValue?)]) -> JSONValue {
        .object(JSONObject.omittingNil(members))
    }

    private static func omittingZero(_ value: Int) -> JSONValue? {
        value == 0 ? nil : .int(value)
    }

    private static func metadata(
        name: String, namespace: String, createdAt: SimTime, generation: Int? = nil, annotations: [String: String],
        labels: [String: String] = [:], owner: OwnerReference? = nil, generateName: String? = nil
    ) -> JSONValue {
        ObjectMeta(
            name: name, generateName: generateName, namespace: namespace, labels: labels, annotations: annotations,
            generation: generation, creationTimestamp: createdAt.wallClock, ownerReferences: owner.map { [$0] } ?? []
        ).json
    }

    /// The template's JSON with `extraLabels` merged into `metadata.labels`.
    private static func templateValue(_ template: PodTemplateSpec, extraLabels: [String: String]) -> JSONValue {
        let parsed = template.json.objectValue ?? JSONObject([])
        guard !extraLabels.isEmpty else { return .object(parsed) }
        let metadata = parsed["metadata"]?.objectValue ?? JSONObject([])
        let labels = metadata["labels"]?.objectValue ?? JSONObject([])
        let mergedLabels = JSONObject(
            labels.members.map { ($0.key, $0.value) } + extraLabels.map { ($0.key, JSONValue.string($0.value)) })
        let mergedMetadata = JSONObject(
            metadata.members.map { ($0.key, $0.value) } + [("labels", .object(mergedLabels))])
        return .object(JSONObject(parsed.members.map { ($0.key, $0.value) } + [("metadata", .object(mergedMetadata))]))
    }

    private static func labels(of template: JSONValue) -> JSONValue {
        template["metadata"]?["labels"] ?? .object(JSONObject([]))
    }

    private static func hashLabel(_ replicaSet: SimReplicaSet) -> [String: String] {
        ["pod-template-hash": replicaSet.podTemplateHash]
    }

    private static func selector(_ labels: JSONValue) -> JSONValue {
        object([("matchLabels", labels.objectValue?.isEmpty ?? true ? nil : labels)])
    }

}
