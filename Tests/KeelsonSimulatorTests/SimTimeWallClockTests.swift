import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Simulated seconds shown as dates, counted from 2026-01-01T00:00:00Z.
struct SimTimeWallClockTests {
    @Test func theEpochIsNewYear2026() {
        #expect(SimTime.epoch.wallClock == Time(unixSeconds: 1_767_225_600))
        #expect(SimTime(seconds: 190).wallClock.json == .string("2026-01-01T00:03:10Z"))
    }
}
