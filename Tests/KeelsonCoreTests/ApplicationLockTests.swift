import Foundation
import KeelsonCore
import KeelsonTestSupport
import Testing

struct ApplicationLockTests {
    @Test func aSecondHolderIsToldWhoHoldsTheApplication() async throws {
        let home = try TemporaryFolder()
        let held = try await ApplicationLock.acquire("web", home: home.path)
        await #expect {
            _ = try await ApplicationLock.acquire("web", home: home.path, patience: .milliseconds(100))
        } throws: { error in
            guard case ReconcileError.locked("web", let holder) = error else { return false }
            return holder.hasPrefix("process \(ProcessInfo.processInfo.processIdentifier) (")
        }
        // Other applications are not held up.
        _ = try await ApplicationLock.acquire("api", home: home.path, patience: .milliseconds(100))
        withExtendedLifetime(held) {}
    }

    @Test func aReleasedLockCanBeTakenAgain() async throws {
        let home = try TemporaryFolder()
        do { _ = try await ApplicationLock.acquire("web", home: home.path) }
        _ = try await ApplicationLock.acquire("web", home: home.path, patience: .milliseconds(100))
    }
}
