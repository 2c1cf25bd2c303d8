/// A Kubernetes `IntOrString` as used by `maxSurge` and `maxUnavailable`: a count of pods or a percentage.
public enum IntOrPercent: Sendable, Hashable, CustomStringConvertible {
    /// An absolute number of pods.
    case count(Int)
    /// A percentage of the desired replicas, such as `25` for `"25%"`.
    case percent(Int)

    /// `3` or `25%`.
    public var description: String {
        switch self {
        case .count(let count): "\(count)"
        case .percent(let percent): "\(percent)%"
        }
    }

    /// Whether the value is zero pods (`0` or `"0%"`).
    public var isZero: Bool {
        switch self {
        case .count(let count): count == 0
        case .percent(let percent): percent == 0
        }
    }
}
