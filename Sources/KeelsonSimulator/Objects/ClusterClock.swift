import KeelsonKubernetes

extension Time {
    /// Second zero of every simulated cluster, 2026-01-01T00:00:00Z: every timestamp it writes
    /// (`creationTimestamp`, condition and event times) is counted from here, so a run's output is
    /// the same on every machine and day.
    public static let clusterEpoch = Time(unixSeconds: 1_767_225_600)

    /// Seconds since ``clusterEpoch``.
    public var secondsSinceClusterEpoch: Int { seconds(since: .clusterEpoch) }

    /// `t+42s`: how the simulator shows its clock.
    public var clusterDescription: String { "t+\(secondsSinceClusterEpoch)s" }
}
