/// kustomize's builtin field specs: where `commonLabels`, `labels`, `commonAnnotations`, `images`, `replicas`,
/// `namespace` and `namePrefix`/`nameSuffix` write (kustomize's `api/konfig/builtinpluginconsts`).
enum FieldSpecs {
    /// `metadata/labels` and the pod-template labels of the workload kinds, without selectors: what `labels`
    /// with `includeTemplates` writes.
    static let templateLabels: [FieldSpec] = [
        FieldSpec("metadata/labels", create: true),
        FieldSpec("spec/template/metadata/labels", version: "v1", kind: "ReplicationController", create: true),
        FieldSpec("spec/template/metadata/labels", kind: "Deployment", create: true),
        FieldSpec("spec/template/metadata/labels", kind: "ReplicaSet", create: true),
        FieldSpec("spec/template/metadata/labels", kind: "DaemonSet", create: true),
        FieldSpec("spec/template/metadata/labels", group: "apps", kind: "StatefulSet", create: true),
        FieldSpec("spec/volumeClaimTemplates[]/metadata/labels", group: "apps", kind: "StatefulSet", create: true),
        FieldSpec("spec/template/metadata/labels", group: "batch", kind: "Job", create: true),
        FieldSpec("spec/jobTemplate/metadata/labels", group: "batch", kind: "CronJob", create: true),
        FieldSpec("spec/jobTemplate/spec/template/metadata/labels", group: "batch", kind: "CronJob", create: true),
    ]

    /// Where `commonLabels` (and `labels` with `includeSelectors`) write: selectors, then ``templateLabels``.
    static let commonLabels: [FieldSpec] =
        [
            FieldSpec("spec/selector", version: "v1", kind: "Service", create: true),
            FieldSpec("spec/selector", version: "v1", kind: "ReplicationController", create: true),
            FieldSpec("spec/selector/matchLabels", kind: "Deployment", create: true),
        ] + podAffinitySelectors(group: "apps", kind: "Deployment")
        + [
            FieldSpec("spec/selector/matchLabels", kind: "ReplicaSet", create: true),
            FieldSpec("spec/selector/matchLabels", kind: "DaemonSet", create: true),
            FieldSpec("spec/selector/matchLabels", group: "apps", kind: "StatefulSet", create: true),
        ] + podAffinitySelectors(group: "apps", kind: "StatefulSet")
        + [
            FieldSpec("spec/selector/matchLabels", group: "batch", kind: "Job"),
            FieldSpec("spec/jobTemplate/spec/selector/matchLabels", group: "batch", kind: "CronJob"),
            FieldSpec("spec/selector/matchLabels", group: "policy", kind: "PodDisruptionBudget"),
            FieldSpec("spec/podSelector/matchLabels", group: "networking.k8s.io", kind: "NetworkPolicy"),
            FieldSpec("spec/ingress/from/podSelector/matchLabels", group: "networking.k8s.io", kind: "NetworkPolicy"),
            FieldSpec("spec/egress/to/podSelector/matchLabels", group: "networking.k8s.io", kind: "NetworkPolicy"),
        ] + templateLabels

    /// Where `commonAnnotations` write.
    static let commonAnnotations: [FieldSpec] = [
        FieldSpec("metadata/annotations", create: true),
        FieldSpec("spec/template/metadata/annotations", version: "v1", kind: "ReplicationController", create: true),
        FieldSpec("spec/template/metadata/annotations", kind: "Deployment", create: true),
        FieldSpec("spec/template/metadata/annotations", kind: "ReplicaSet", create: true),
        FieldSpec("spec/template/metadata/annotations", kind: "DaemonSet", create: true),
        FieldSpec("spec/template/metadata/annotations", kind: "StatefulSet", create: true),
        FieldSpec("spec/template/metadata/annotations", group: "batch", kind: "Job", create: true),
        FieldSpec("spec/jobTemplate/metadata/annotations", group: "batch", kind: "CronJob", create: true),
        FieldSpec("spec/jobTemplate/spec/template/metadata/annotations", group: "batch", kind: "CronJob", create: true),
    ]

    /// Where `images` look for image references, besides every `containers` and `initContainers` list.
    static let images: [FieldSpec] = [
        FieldSpec("spec/containers[]/image", create: true),
        FieldSpec("spec/initContainers[]/image", create: true),
        FieldSpec("spec/volumes[]/image/reference", create: true),
        FieldSpec("spec/template/spec/containers[]/image", create: true),
        FieldSpec("spec/template/spec/initContainers[]/image", create: true),
        FieldSpec("spec/template/spec/volumes[]/image/reference", create: true),
    ]

    /// Where `replicas` write: the kinds with a `spec.replicas`.
    static let replicas: [FieldSpec] = ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"].map {
        FieldSpec("spec/replicas", kind: $0, create: true)
    }

    /// Where `namespace` writes besides `metadata.namespace` (set on every namespaced object).
    static let namespace: [FieldSpec] = [
        FieldSpec("metadata/name", kind: "Namespace", create: true),
        FieldSpec("spec/service/namespace", group: "apiregistration.k8s.io", kind: "APIService", create: true),
        FieldSpec(
            "spec/conversion/webhook/clientConfig/service/namespace", group: "apiextensions.k8s.io",
            kind: "CustomResourceDefinition"),
    ]

    /// Where `namePrefix` and `nameSuffix` write.
    static let names: [FieldSpec] = [FieldSpec("metadata/name")]

    /// Kinds `namePrefix` and `nameSuffix` never rename.
    static func keepsItsName(_ id: ResourceID) -> Bool {
        id.kind == "CustomResourceDefinition" || id.kind == "Namespace"
            || (id.group == "apiregistration.k8s.io" && id.kind == "APIService")
    }

    private static func podAffinitySelectors(group: String, kind: String) -> [FieldSpec] {
        [
            "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
        ].map { FieldSpec($0, group: group, kind: kind) }
    }
}
