import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Simulated seconds shown as dates, counted from 2026-01-01T00:00:00Z.
struct SimTimeWallClockTests {
    @Test func theEpochIsNewYear2026() {
        #expect(Time.clusterEpoch == Time(unixSeconds: 1_767_225_600))
        #expect(Time.clusterEpoch.adding(190).json == .string("2026-01-01T00:03:10Z"))
    }
}
