extension NameReferences {
    /// kustomize's builtin `nameReference` configuration (its `namereference.go`).
    static let builtin: [Reference] = [
        Reference(group: nil, version: nil, kind: "Deployment", referrers: [scaleTarget]),
        Reference(group: nil, version: nil, kind: "ReplicationController", referrers: [scaleTarget]),
        Reference(group: nil, version: nil, kind: "ReplicaSet", referrers: [scaleTarget]),
        Reference(group: nil, version: nil, kind: "StatefulSet", referrers: [scaleTarget]),
        Reference(
            group: nil, version: "v1", kind: "ConfigMap",
            referrers: podSpecs(
                [
                    "volumes/configMap/name", "containers/env/valueFrom/configMapKeyRef/name",
                    "initContainers/env/valueFrom/configMapKeyRef/name", "containers/envFrom/configMapRef/name",
                    "initContainers/envFrom/configMapRef/name", "volumes/projected/sources/configMap/name",
                ], kinds: configKinds)
                + [
                    FieldSpec("spec/configSource/configMap", kind: "Node"),
                    FieldSpec("rules/resourceNames", kind: "Role"),
                    FieldSpec("rules/resourceNames", kind: "ClusterRole"),
                    FieldSpec(
                        "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap", kind: "Ingress"),
                    FieldSpec(
                        "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name",
                        group: "serving.knative.dev",
                        version: "v1", kind: "Service"),
                    FieldSpec(
                        "spec/template/spec/containers/envFrom/configMapRef/name", group: "serving.knative.dev",
                        version: "v1", kind: "Service"),
                ]),
        Reference(
            group: nil, version: "v1", kind: "Secret",
            referrers: podSpecs(
                [
                    "volumes/secret/secretName", "containers/env/valueFrom/secretKeyRef/name",
                    "initContainers/env/valueFrom/secretKeyRef/name", "containers/envFrom/secretRef/name",
                    "initContainers/envFrom/secretRef/name", "imagePullSecrets/name",
                    "volumes/projected/sources/secret/name",
                ], kinds: configKinds)
                + [
                    FieldSpec("spec/tls/secretName", kind: "Ingress"),
                    FieldSpec("metadata/annotations/ingress.kubernetes.io\\/auth-secret", kind: "Ingress"),
                    FieldSpec("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret", kind: "Ingress"),
                    FieldSpec("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret", kind: "Ingress"),
                    FieldSpec("imagePullSecrets/name", kind: "ServiceAccount"),
                    FieldSpec("parameters/secretName", kind: "StorageClass"),
                    FieldSpec("parameters/adminSecretName", kind: "StorageClass"),
                    FieldSpec("parameters/userSecretName", kind: "StorageClass"),
                    FieldSpec("parameters/secretRef", kind: "StorageClass"),
                    FieldSpec("rules/resourceNames", kind: "Role"),
                    FieldSpec("rules/resourceNames", kind: "ClusterRole"),
                    FieldSpec(
                        "spec/template/spec/containers/env/valueFrom/secretKeyRef/name", group: "serving.knative.dev",
                        version: "v1", kind: "Service"),
                    FieldSpec("spec/azureFile/secretName", kind: "PersistentVolume"),
                ]),
        Reference(
            group: nil, version: "v1", kind: "Service",
            referrers: [
                FieldSpec("spec/serviceName", group: "apps", kind: "StatefulSet"),
                FieldSpec("spec/rules/http/paths/backend/serviceName", kind: "Ingress"),
                FieldSpec("spec/backend/serviceName", kind: "Ingress"),
                FieldSpec("spec/rules/http/paths/backend/service/name", kind: "Ingress"),
                FieldSpec("spec/defaultBackend/service/name", kind: "Ingress"),
                FieldSpec("spec/service/name", group: "apiregistration.k8s.io", kind: "APIService"),
                FieldSpec(
                    "webhooks/clientConfig/service", group: "admissionregistration.k8s.io",
                    kind: "ValidatingWebhookConfiguration"),
                FieldSpec(
                    "webhooks/clientConfig/service", group: "admissionregistration.k8s.io",
                    kind: "MutatingWebhookConfiguration"),
            ]),
        Reference(
            group: "rbac.authorization.k8s.io", version: nil, kind: "Role",
            referrers: [FieldSpec("roleRef/name", group: "rbac.authorization.k8s.io", kind: "RoleBinding")]),
        Reference(
            group: "rbac.authorization.k8s.io", version: nil, kind: "ClusterRole",
            referrers: [
                FieldSpec("roleRef/name", group: "rbac.authorization.k8s.io", kind: "RoleBinding"),
                FieldSpec("roleRef/name", group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding"),
            ]),
        Reference(
            group: nil, version: "v1", kind: "ServiceAccount",
            referrers: [
                FieldSpec("subjects", group: "rbac.authorization.k8s.io", kind: "RoleBinding"),
                FieldSpec("subjects", group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding"),
            ] + podSpecs(["serviceAccountName"], kinds: accountKinds)),
        Reference(
            group: nil, version: "v1", kind: "PersistentVolumeClaim",
            referrers: podSpecs(["volumes/persistentVolumeClaim/claimName"], kinds: accountKinds)),
        Reference(
            group: nil, version: "v1", kind: "PersistentVolume",
            referrers: [
                FieldSpec("spec/volumeName", kind: "PersistentVolumeClaim"),
                FieldSpec("rules/resourceNames", kind: "ClusterRole"),
            ]),
        Reference(
            group: "storage.k8s.io", version: "v1", kind: "StorageClass",
            referrers: [
                FieldSpec("spec/storageClassName", kind: "PersistentVolume"),
                FieldSpec("spec/storageClassName", kind: "PersistentVolumeClaim"),
                FieldSpec("spec/volumeClaimTemplates/spec/storageClassName", kind: "StatefulSet"),
            ]),
        Reference(
            group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass",
            referrers: podSpecs(["priorityClassName"], kinds: accountKinds)),
    ]

    private static let scaleTarget = FieldSpec("spec/scaleTargetRef/name", kind: "HorizontalPodAutoscaler")

    /// The kinds whose pod specs may name ConfigMaps and Secrets.
    private static let configKinds = ["Pod", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob"]

    /// The kinds whose pod specs may name ServiceAccounts, claims and priority classes.
    private static let accountKinds = [
        "Pod", "StatefulSet", "Deployment", "ReplicationController", "CronJob", "Job", "DaemonSet",
    ]

    /// Field specs for `paths` inside the pod spec of each kind.
    private static func podSpecs(_ paths: [String], kinds: [String]) -> [FieldSpec] {
        kinds.flatMap { kind in
            let podSpec =
                switch kind {
                case "Pod": "spec"
                case "CronJob": "spec/jobTemplate/spec/template/spec"
                default: "spec/template/spec"
                }
            return paths.map { FieldSpec(podSpec + "/" + $0, version: kind == "Pod" ? "v1" : nil, kind: kind) }
        }
    }
}
