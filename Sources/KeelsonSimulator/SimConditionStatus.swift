/// A condition's status, spelled as Kubernetes spells it.
public enum SimConditionStatus: String, Codable, Sendable, Hashable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}
