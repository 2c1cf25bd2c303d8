import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// kubectl's AGE column, from apimachinery's `duration_test.go` (whole seconds; Go's sub-second cases truncate).
struct HumanDurationTests {
    // TestHumanDuration and TestHumanDurationBoundaries: seconds and the expected text.
    @Test(arguments: [
        (-2, "<invalid>"), (-1, "0s"), (0, "0s"), (1, "1s"), (70, "70s"), (119, "119s"), (120, "2m"), (121, "2m1s"),
        (190, "3m10s"), (599, "9m59s"), (600, "10m"), (601, "10m"), (70 * 60, "70m"), (3 * 3600 - 1, "179m"),
        (3 * 3600, "3h"), (3 * 3600 + 60, "3h1m"), (8 * 3600 - 1, "7h59m"), (8 * 3600, "8h"),
        (8 * 3600 + 59 * 60, "8h"), (47 * 3600, "47h"), (48 * 3600 - 1, "47h"), (48 * 3600, "2d"),
        (49 * 3600, "2d1h"), (8 * 86400 - 1, "7d23h"), (8 * 86400, "8d"), ((8 * 24 + 2) * 3600, "8d"),
        (8 * 86400 + 23 * 3600, "8d"), (367 * 86400, "367d"), (2 * 365 * 86400 - 1, "729d"),
        (2 * 365 * 86400, "2y"), (2 * 365 * 86400 + 23 * 3600, "2y"), (2 * 365 * 86400 + 86400 - 1, "2y"),
        (2 * 365 * 86400 + 86400, "2y1d"), ((365 * 2 * 24 + 25) * 3600, "2y1d"), (3 * 365 * 86400, "3y"),
        (7 * 365 * 86400, "7y"), (8 * 365 * 86400 - 1, "7y364d"), (8 * 365 * 86400, "8y"),
        ((365 * 8 * 24 + 2) * 3600, "8y"), (8 * 365 * 86400 + 364 * 86400, "8y"), (9 * 365 * 86400, "9y"),
    ])
    func humanDurationKeepsTwoSignificantUnits(seconds: Int, expected: String) {
        #expect(HumanDuration.string(seconds: seconds) == expected)
    }

    @Test func ageIsMeasuredFromCreationToNow() {
        #expect(HumanDuration.age(of: Time.clusterEpoch.adding(10), now: Time.clusterEpoch.adding(200)) == "3m10s")
    }
}
