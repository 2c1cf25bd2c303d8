import Testing

@testable import KeelsonSimulator

/// The real-time clock a daemon runs.
struct ClusterClockTests {
    @Test func theClockRunsUntilCancelledAndLeavesTheStoreWhole() async throws {
        let store = try SimulatedClusterTests.StorePath()
        let cluster = try SimulatedCluster(path: store.path)
        try await cluster.apply(Fixtures.spec(replicas: 4, readinessDelay: 2), name: "web")
        let running = Task { try await cluster.runClock(speed: 1000) }
        let observer = try SimulatedCluster(path: store.path)
        let safetyNet = ContinuousClock.now + .seconds(60)
        while try await observer.snapshot.now.seconds < 100, ContinuousClock.now < safetyNet {
            try await Task.sleep(for: .milliseconds(20))
        }
        running.cancel()
        try await running.value
        let stopped = try await cluster.snapshot
        #expect(stopped.now.seconds >= 100)
        #expect(SimulatedCluster.isSettled(stopped))
        #expect(try await SimulatedCluster(path: store.path).snapshot == stopped)
        #expect(try await cluster.events(limit: 1000).allSatisfy { $0.time <= stopped.now })
    }
}
