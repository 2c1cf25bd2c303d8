import KeelsonKubernetes

/// kubectl's short ages (`45s`, `3m10s`, `2d1h`), as apimachinery's `duration.HumanDuration` writes them for the
/// AGE and LAST SEEN columns: about two significant figures, with finer units dropped as durations grow.
public enum HumanDuration {
    /// Formats a duration in whole seconds.
    ///
    /// - Parameter seconds: The duration; down to -1 counts as now (clock skew), anything earlier is `<invalid>`.
    /// - Returns: The short form, such as `119s`, `9m59s`, `179m`, `7h59m`, `47h`, `7d23h`, `729d`, `7y364d`.
    public static func string(seconds: Int) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return joined(minutes, "m", seconds % 60, "s") }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 { return joined(hours, "h", minutes % 60, "m") }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return joined(hours / 24, "d", hours % 24, "h") }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 { return joined(hours / 24 / 365, "y", hours / 24 % 365, "d") }
        return "\(hours / 24 / 365)y"
    }

    /// The age of something created at `time`, seen at `now`.
    public static func age(of time: Time, now: Time) -> String {
        string(seconds: now.seconds(since: time))
    }

    private static func joined(_ major: Int, _ majorUnit: String, _ minor: Int, _ minorUnit: String) -> String {
        minor == 0 ? "\(major)\(majorUnit)" : "\(major)\(majorUnit)\(minor)\(minorUnit)"
    }
}
