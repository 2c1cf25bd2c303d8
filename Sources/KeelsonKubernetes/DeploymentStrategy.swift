/// How a Deployment replaces old pods with new ones (`spec.strategy`).
public enum DeploymentStrategy: KubernetesJSON, Hashable {
    /// Replace pods gradually, keeping at most `maxSurge` extra and `maxUnavailable` missing pods.
    case rollingUpdate(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent)
    /// Stop all old pods before starting new ones.
    case recreate

    /// `apps/v1`'s default: a rolling update of 25% surge and 25% unavailable.
    public static let `default` = DeploymentStrategy.rollingUpdate(maxSurge: .percent(25), maxUnavailable: .percent(25))

    /// Whether this is a rolling update (upstream `IsRollingUpdate`).
    public var isRollingUpdate: Bool {
        if case .rollingUpdate = self { return true }
        return false
    }

    /// Absent parts take `apps/v1`'s defaults.
    public init(json: JSONValue) throws(APIFieldError) {
        switch try json.optionalString("type") ?? "RollingUpdate" {
        case "Recreate":
            self = .recreate
        case "RollingUpdate":
            let rolling = json["rollingUpdate"] ?? .object(JSONObject([]))
            func read(_ key: String) throws(APIFieldError) -> IntOrPercent {
                guard let value = rolling[key], value != .null else { return .percent(25) }
                do { return try IntOrPercent(json: value) } catch { throw error.inside("rollingUpdate.\(key)") }
            }
            self = .rollingUpdate(maxSurge: try read("maxSurge"), maxUnavailable: try read("maxUnavailable"))
        case let other:
            throw APIFieldError(field: "type", "expected RollingUpdate or Recreate, found \"\(other)\"")
        }
    }

    public var json: JSONValue {
        switch self {
        case .recreate:
            .object(JSONObject([("type", .string("Recreate"))]))
        case .rollingUpdate(let maxSurge, let maxUnavailable):
            .object(
                JSONObject([
                    ("type", .string("RollingUpdate")),
                    (
                        "rollingUpdate",
                        .object(JSONObject([("maxSurge", maxSurge.json), ("maxUnavailable", maxUnavailable.json)]))
                    ),
                ]))
        }
    }
}
