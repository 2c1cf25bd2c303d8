extension SimTime {
    /// The wall-clock instant of ``SimTime/epoch``, 2026-01-01T00:00:00Z, in seconds since the Unix epoch.
    ///
    /// Every timestamp the simulator shows as a date (`creationTimestamp`, condition times, event times) is counted
    /// from here, so output is the same on every run.
    public static let wallClockEpochUnixSeconds = 1_767_225_600

    /// Seconds since 1970-01-01T00:00:00Z.
    public var unixSeconds: Int { Self.wallClockEpochUnixSeconds + seconds }

    /// The time as Kubernetes writes `metav1.Time`: RFC 3339 in UTC with whole seconds, such as
    /// `2026-01-01T00:03:10Z`.
    public var rfc3339: String {
        let (days, secondOfDay) = unixSeconds.quotientAndRemainderFlooring(by: 86_400)
        let (year, month, day) = Self.civilDate(daysSinceUnixEpoch: days)
        let hour = secondOfDay / 3600
        let minute = secondOfDay % 3600 / 60
        let second = secondOfDay % 60
        return "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T"
            + "\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))Z"
    }

    /// Howard Hinnant's `civil_from_days`: the proleptic Gregorian date `days` after 1970-01-01.
    private static func civilDate(daysSinceUnixEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(width - digits.count, 0)) + digits
    }
}

extension Int {
    /// Floor division and the matching non-negative remainder, so times before 1970 still fall on the right day.
    fileprivate func quotientAndRemainderFlooring(by divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = ((self % divisor) + divisor) % divisor
        return ((self - remainder) / divisor, remainder)
    }
}
