/// A point on the simulated cluster's clock: whole seconds since the cluster's epoch.
///
/// The simulator never reads the wall clock; every controller receives the current `SimTime` as input, so a run
/// is a pure function of its starting snapshot.
public struct SimTime: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since the cluster epoch.
    public var seconds: Int

    /// The cluster epoch, second zero.
    public static let epoch = SimTime(seconds: 0)

    /// Creates a time `seconds` after the cluster epoch.
    public init(seconds: Int) {
        self.seconds = seconds
    }

    /// The time `delta` seconds later (earlier when negative).
    public func adding(_ delta: Int) -> SimTime {
        SimTime(seconds: seconds + delta)
    }

    /// `t+42s`.
    public var description: String { "t+\(seconds)s" }

    public static func < (lhs: SimTime, rhs: SimTime) -> Bool { lhs.seconds < rhs.seconds }

    public init(from decoder: any Decoder) throws {
        seconds = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }
}
