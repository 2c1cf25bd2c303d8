/// A condition's status, spelled as Kubernetes spells it.
public enum SimConditionStatus: String, Codable, Sendable, Hashable {
    /// The condition holds.
    case `true` = "True"
    /// The condition does not hold.
    case `false` = "False"
    /// The controller cannot tell, as while a Deployment is paused.
    case unknown = "Unknown"
}
