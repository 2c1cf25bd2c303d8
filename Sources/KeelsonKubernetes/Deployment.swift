/// An `apps/v1` Deployment as the API server keeps it: metadata, the desired state and what its
/// controller last observed.
public struct Deployment: KubernetesJSON, Hashable {
    public static let apiVersion = "apps/v1"
    public static let kind = "Deployment"

    public var metadata: ObjectMeta
    public var spec: DeploymentSpec
    public var status: DeploymentStatus

    public init(metadata: ObjectMeta, spec: DeploymentSpec, status: DeploymentStatus = DeploymentStatus()) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public init(json: JSONValue) throws(APIFieldError) {
        self.init(
            metadata: try json.decoded("metadata"), spec: try json.decoded("spec"),
            status: try json.decodedIfPresent("status") ?? DeploymentStatus())
    }

    public var json: JSONValue {
        .object(
            JSONObject([
                ("apiVersion", .string(Self.apiVersion)), ("kind", .string(Self.kind)), ("metadata", metadata.json),
                ("spec", spec.json), ("status", status.json),
            ]))
    }
}
