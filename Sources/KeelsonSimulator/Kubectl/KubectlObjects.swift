import KeelsonKubernetes

/// How `kubectl get -o json` wraps the objects it prints on Kubernetes 1.30; each object is its
/// own API JSON (`Deployment.json`, …).
public enum KubectlObjects {
    /// The `List` kubectl prints when several objects are asked for.
    public static func list(_ items: [JSONValue]) -> JSONValue {
        .object(
            JSONObject([
                ("apiVersion", .string("v1")), ("items", .array(items)), ("kind", .string("List")),
                ("metadata", .object(JSONObject([("resourceVersion", .string(""))]))),
            ]))
    }
}
