import Foundation
import KeelsonCore
import KeelsonTestSupport
import Testing

struct DaemonLockTests {
    static let info = DaemonInfo(
        pid: 4242, listenAddress: "127.0.0.1:8080", simulationSpeed: 10,
        started: Date(timeIntervalSince1970: 1_800_000_000))

    @Test func noDaemonRunsAHomeThatNobodyHolds() throws {
        let home = try TemporaryFolder()
        #expect(try DaemonLock.running(home: home.path) == nil)
        do { _ = try DaemonLock.acquire(home: home.path, info: Self.info) }
        #expect(try DaemonLock.running(home: home.path) == nil, "released when the lock is")
    }

    @Test func theDaemonIsKnownWhileItHoldsTheHome() throws {
        let home = try TemporaryFolder()
        let lock = try DaemonLock.acquire(home: home.path, info: Self.info)
        #expect(try DaemonLock.running(home: home.path) == Self.info)
        #expect(try DaemonLock.running(home: home.path) == Self.info, "asking leaves it held")
        withExtendedLifetime(lock) {}
    }

    @Test func aSecondDaemonIsToldWhoRunsTheHome() throws {
        let home = try TemporaryFolder()
        let lock = try DaemonLock.acquire(home: home.path, info: Self.info)
        var second = Self.info
        second.pid = 4343
        #expect {
            _ = try DaemonLock.acquire(home: home.path, info: second)
        } throws: { error in
            guard case DaemonLockError.alreadyRunning(home.path, Self.info) = error else { return false }
            return "\(error)".contains("process 4242, listening on 127.0.0.1:8080, simulation speed 10x")
        }
        #expect(try DaemonLock.running(home: home.path) == Self.info)
        withExtendedLifetime(lock) {}
    }
}
