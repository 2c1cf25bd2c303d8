import KeelsonKubernetes

extension SimTime {
    /// The wall-clock instant of ``SimTime/epoch``, 2026-01-01T00:00:00Z, in seconds since the Unix epoch.
    ///
    /// Every timestamp the simulator shows as a date (`creationTimestamp`, condition times, event times) is counted
    /// from here, so output is the same on every run.
    public static let wallClockEpochUnixSeconds = 1_767_225_600

    /// The instant on the wall clock this simulated second stands for, as the API writes times.
    public var wallClock: Time { Time(unixSeconds: Self.wallClockEpochUnixSeconds + seconds) }
}
