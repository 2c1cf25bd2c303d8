import KeelsonCore
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
        while try await observer.snapshot.now.secondsSinceClusterEpoch < 100, ContinuousClock.now < safetyNet {
            try await Task.sleep(for: .milliseconds(20))
        }
        running.cancel()
        try await running.value
        let stopped = try await cluster.snapshot
        #expect(stopped.now.secondsSinceClusterEpoch >= 100)
        #expect(SimulatedCluster.isSettled(stopped))
        #expect(try await SimulatedCluster(path: store.path).snapshot == stopped)
        #expect(try await cluster.events(limit: 1000).allSatisfy { $0.time <= stopped.now })
    }
}

/// The driver next to a clock that runs elsewhere (a daemon's).
struct RunningClockDriverTests {
    static let web = SimulatedClusterDriverTests.web

    static func applied(speed: Double) async throws -> (SimulatedClusterDriver, SimulatedClusterTests.StorePath) {
        let store = try SimulatedClusterTests.StorePath()
        let driver = SimulatedClusterDriver(
            cluster: try SimulatedCluster(path: store.path), clock: .running(speed: speed))
        _ = try await driver.apply(
            try SimulatedClusterDriverTests.objects(), for: "storefront", namespace: "shop", fieldManager: "keelson")
        return (driver, store)
    }

    @Test func followingRolloutsWatchesTheClockRunElsewhere() async throws {
        let (driver, store) = try await Self.applied(speed: 200)
        let daemon = try SimulatedCluster(path: store.path)
        let running = Task { try await daemon.runClock(speed: 200) }
        defer { running.cancel() }
        // The limit is only a safety net: 6000 simulated seconds are 30 real ones at this speed.
        let statuses = try await driver.followRollouts([Self.web], limit: .seconds(6000)) { statuses in
            statuses[Self.web]?.phase == .complete
        }
        #expect(statuses[Self.web]?.phase == .complete)
        #expect(statuses[Self.web]?.available == 4)
        running.cancel()
        try await running.value
    }

    @Test func followingRolloutsNeverMovesARunningClockItself() async throws {
        let (driver, _) = try await Self.applied(speed: 100)
        let statuses = try await driver.followRollouts([Self.web], limit: .seconds(10)) { _ in false }
        #expect(statuses[Self.web]?.phase == .progressing)
        #expect(try await driver.cluster.snapshot.now == .clusterEpoch)
    }
}
