import KeelsonKubernetes

/// How Keelson judges the health of an object that is not a Deployment (Deployments are judged
/// by their rollout, ``RolloutVerdict``): only a rule for its kind can make it Healthy. Kinds
/// without one are ``HealthStatus/notAssessed``, never Healthy because they are present.
public enum HealthRule {
    /// Kinds that carry no status to judge, by `group/kind`: present as applied is all there is.
    static let presenceIsHealth: Set<String> = [
        "/ConfigMap", "/Secret", "/ServiceAccount", "/Namespace", "/LimitRange", "/ResourceQuota", "/Endpoints",
        "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/RoleBinding",
        "rbac.authorization.k8s.io/ClusterRole", "rbac.authorization.k8s.io/ClusterRoleBinding",
        "networking.k8s.io/NetworkPolicy", "networking.k8s.io/IngressClass", "policy/PodDisruptionBudget",
        "scheduling.k8s.io/PriorityClass", "storage.k8s.io/StorageClass", "discovery.k8s.io/EndpointSlice",
        "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io/MutatingWebhookConfiguration",
    ]

    /// The live object's health, and why when it is not assessed.
    public static func health(of key: ObjectKey, live body: JSONValue) -> (health: HealthStatus, reason: String?) {
        let kind = key.group + "/" + key.kind
        if presenceIsHealth.contains(kind) { return (.healthy, nil) }
        if kind == "/Service" {
            // Only a load balancer needs something else to act on it: the target's cloud controller.
            guard body["spec"]?["type"]?.stringValue == "LoadBalancer" else { return (.healthy, nil) }
            if case .array(let ingress)? = body["status"]?["loadBalancer"]?["ingress"], !ingress.isEmpty {
                return (.healthy, nil)
            }
            return (.notAssessed, "no load balancer is assigned on this target")
        }
        return (.notAssessed, "Keelson has no health rule for \(key.kind)")
    }
}
