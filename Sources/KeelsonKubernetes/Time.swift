/// `metav1.Time`: an instant to the second, written as RFC 3339 in UTC, such as
/// `2026-01-01T00:03:10Z`.
public struct Time: KubernetesJSON, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var unixSeconds: Int

    public init(unixSeconds: Int) {
        self.unixSeconds = unixSeconds
    }

    public static func < (lhs: Time, rhs: Time) -> Bool { lhs.unixSeconds < rhs.unixSeconds }

    /// The time `seconds` later (earlier when negative).
    public func adding(_ seconds: Int) -> Time {
        Time(unixSeconds: unixSeconds + seconds)
    }

    /// Seconds from `earlier` to this time.
    public func seconds(since earlier: Time) -> Int {
        unixSeconds - earlier.unixSeconds
    }

    /// RFC 3339 in UTC with whole seconds, as the API server writes it.
    public var description: String {
        let (days, secondOfDay) = unixSeconds.quotientAndRemainderFlooring(by: 86_400)
        let (year, month, day) = Self.civilDate(daysSinceUnixEpoch: days)
        guard (0...9999).contains(year) else {
            return "\(year)-\(Self.pad(month, 2))-\(Self.pad(day, 2))T"
                + "\(Self.pad(secondOfDay / 3600, 2)):\(Self.pad(secondOfDay % 3600 / 60, 2)):\(Self.pad(secondOfDay % 60, 2))Z"
        }
        // Written digit by digit: every pod's status has seven times, and string padding was a
        // twentieth of saving a rollout.
        let fields = [
            (year, 4), (month, 2), (day, 2), (secondOfDay / 3600, 2), (secondOfDay % 3600 / 60, 2),
            (secondOfDay % 60, 2),
        ]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        for (index, (value, width)) in fields.enumerated() {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            bytes.append(Self.separators[index])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads RFC 3339 as API servers write it: `Z` or a `±hh:mm` offset, fractions of a second
    /// dropped.
    public init(json: JSONValue) throws(APIFieldError) {
        guard case .string(let text) = json, let time = Self.parse(Array(text.utf8)) else {
            throw APIFieldError(field: "", "expected an RFC 3339 time such as 2026-01-01T00:03:10Z")
        }
        self = time
    }

    public var json: JSONValue { .string(description) }

    private static func parse(_ bytes: [UInt8]) -> Time? {
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == 45, bytes[7] == 45, [84, 116].contains(bytes[10]), bytes[13] == 58,
            bytes[16] == 58, let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        if bytes[index] == 46 {
            index += 1
            let digits = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard index > digits else { return nil }
        }
        guard index < bytes.count else { return nil }
        // What follows the seconds: `Z`, or `±hh:mm`, and nothing after.
        let zone = bytes[index...]
        var offset = 0
        if zone.count == 1, zone.first == 90 || zone.first == 122 {
            offset = 0
        } else if zone.count == 6, zone.first == 43 || zone.first == 45, bytes[index + 3] == 58,
            let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6)
        {
            offset = (hours * 3600 + minutes * 60) * (zone.first == 45 ? -1 : 1)
        } else {
            return nil
        }
        let days = daysSinceUnixEpoch(year: year, month: month, day: day)
        // 2026-02-31 is no day: it would read as 2026-03-03.
        guard civilDate(daysSinceUnixEpoch: days) == (year, month, day) else { return nil }
        return Time(unixSeconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset)
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

    /// Howard Hinnant's `days_from_civil`, the inverse of ``civilDate(daysSinceUnixEpoch:)``.
    private static func daysSinceUnixEpoch(year: Int, month: Int, day: Int) -> Int {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// What follows each field of ``description``.
    private static let separators = Array("--T::Z".utf8)

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
