import KeelsonKubernetes
import Testing

/// `metav1.Time` as the API server writes and reads it.
struct TimeTests {
    static let newYear2026 = 1_767_225_600

    static let cases: [(secondsAfterNewYear2026: Int, text: String)] = [
        (0, "2026-01-01T00:00:00Z"), (190, "2026-01-01T00:03:10Z"), (86_399, "2026-01-01T23:59:59Z"),
        (59 * 86_400, "2026-03-01T00:00:00Z"), (365 * 86_400, "2027-01-01T00:00:00Z"),
        (789 * 86_400, "2028-02-29T00:00:00Z"), (-1, "2025-12-31T23:59:59Z"),
        (-1_767_225_600, "1970-01-01T00:00:00Z"), (-1_767_225_601, "1969-12-31T23:59:59Z"),
    ]

    @Test(arguments: cases)
    func writtenAsRFC3339InUTCAndReadBack(_ example: (secondsAfterNewYear2026: Int, text: String)) throws {
        let (secondsAfterNewYear2026, text) = example
        let time = Time(unixSeconds: Self.newYear2026 + secondsAfterNewYear2026)
        #expect(time.json == .string(text))
        #expect(try Time(json: .string(text)) == time)
    }

    @Test func offsetsAndFractionsAreRead() throws {
        #expect(try Time(json: .string("2026-01-01T01:00:00+01:00")).unixSeconds == Self.newYear2026)
        #expect(try Time(json: .string("2025-12-31T19:30:00-04:30")).unixSeconds == Self.newYear2026)
        #expect(try Time(json: .string("2026-01-01T00:00:00.123456Z")).unixSeconds == Self.newYear2026)
    }

    @Test(arguments: [
        "2026-01-01", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00", "yesterday", "2026-01-01T00:00:00+0100",
        "2026-01-01T00:00:00Zjunk", "2026-01-01T00:00:00+01:00x", "2026-01-01T00:00:00.Z", "2026-02-31T00:00:00Z",
    ])
    func anythingElseIsRefused(_ text: String) {
        #expect(throws: APIFieldError.self) { try Time(json: .string(text)) }
    }
}
