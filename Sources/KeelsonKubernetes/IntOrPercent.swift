/// A Kubernetes `IntOrString` as used by `maxSurge` and `maxUnavailable`: a count of pods or a percentage.
///
/// Written as Kubernetes writes it: a JSON number for a count, a string such as `"25%"` for a percentage.
public enum IntOrPercent: KubernetesJSON, Hashable, CustomStringConvertible {
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

    /// The number of pods this value stands for out of `total`, as apimachinery's `GetScaledValueFromIntOrPercent`.
    ///
    /// - Parameters:
    ///   - total: The desired replicas the percentage applies to.
    ///   - roundUp: Round a fractional percentage up (`maxSurge`) rather than down (`maxUnavailable`).
    /// - Returns: The count itself, or the rounded share of `total`.
    public func scaledValue(of total: Int, roundUp: Bool) -> Int {
        switch self {
        case .count(let count):
            return count
        case .percent(let percent):
            // Integer arithmetic gives the exact ceiling and floor that Go computes in float64 for these magnitudes.
            let product = percent * total
            return roundUp ? (product + 99).quotientRoundingDown(by: 100) : product.quotientRoundingDown(by: 100)
        }
    }

    public init(json: JSONValue) throws(APIFieldError) {
        switch json {
        case .int(let count):
            self = .count(count)
        case .string(let text) where text.hasSuffix("%") && Int(text.dropLast()) != nil:
            self = .percent(Int(text.dropLast())!)
        default:
            throw APIFieldError(field: "", "expected an integer or a percentage such as \"25%\"")
        }
    }

    public var json: JSONValue {
        switch self {
        case .count(let count): .int(count)
        case .percent: .string(description)
        }
    }
}

extension Int {
    /// Floor division, so negative percentages (rejected by validation) still round towards minus infinity.
    fileprivate func quotientRoundingDown(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
