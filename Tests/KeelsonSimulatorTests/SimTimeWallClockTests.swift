import Testing

@testable import KeelsonSimulator

/// Simulated seconds shown as dates, counted from 2026-01-01T00:00:00Z.
struct SimTimeWallClockTests {
    @Test(arguments: [
        (0, "2026-01-01T00:00:00Z"), (190, "2026-01-01T00:03:10Z"), (86_399, "2026-01-01T23:59:59Z"),
        (59 * 86_400, "2026-03-01T00:00:00Z"), (365 * 86_400, "2027-01-01T00:00:00Z"),
        ((2 * 365 + 31 + 28) * 86_400, "2028-02-29T00:00:00Z"), (-1, "2025-12-31T23:59:59Z"),
    ])
    func rfc3339CountsCalendarDaysFromTheEpoch(seconds: Int, expected: String) {
        #expect(SimTime(seconds: seconds).rfc3339 == expected)
    }

    @Test func theEpochIsNewYear2026InUnixTime() {
        #expect(SimTime.epoch.unixSeconds == 1_767_225_600)
        #expect(SimTime(seconds: 5).unixSeconds == 1_767_225_605)
    }
}
