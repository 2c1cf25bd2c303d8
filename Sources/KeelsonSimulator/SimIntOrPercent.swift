import KeelsonKubernetes
import KeelsonManifests

/// `maxSurge` or `maxUnavailable` as stored in the simulator: a count of pods or a percentage of the replicas.
///
/// Encodes as Kubernetes writes it: a JSON number for a count, a string such as `"25%"` for a percentage.
public enum SimIntOrPercent: Codable, Sendable, Hashable, CustomStringConvertible {
    /// An absolute number of pods.
    case count(Int)
    /// A percentage of the desired replicas, such as `25` for `"25%"`.
    case percent(Int)

    /// Copies a manifest value.
    public init(_ value: IntOrPercent) {
        switch value {
        case .count(let count): self = .count(count)
        case .percent(let percent): self = .percent(percent)
        }
    }

    /// `3` or `25%`.
    public var description: String {
        switch self {
        case .count(let count): "\(count)"
        case .percent(let percent): "\(percent)%"
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            self = .count(count)
            return
        }
        let text = try container.decode(String.self)
        guard text.hasSuffix("%"), let percent = Int(text.dropLast()) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an integer or a percentage such as \"25%\", got \"\(text)\"")
        }
        self = .percent(percent)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .count(let count): try container.encode(count)
        case .percent: try container.encode(description)
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
