import Foundation
import KeelsonGit
import KeelsonTestSupport
import Synchronization
import Testing

/// Network operations end when their time runs out or their task is cancelled, even when the
/// server accepts the connection and then says nothing.
struct NetworkBoundTests {
    @Test func aHangingServerTimesOut() async throws {
        let server = try LoopbackServer.silent()
        let fixture = try MirrorFixture()
        let mirror = try await fixture.mirror("http://127.0.0.1:\(server.port)/repo.git")
        let started = ContinuousClock.now
        let error = await #expect(throws: GitError.self) {
            try await mirror.fetch("main", options: NetworkOptions(timeout: .milliseconds(300)))
        }
        #expect(error?.kind == .timedOut)
        #expect(ContinuousClock.now - started < .seconds(30), "the caller must not wait for the stuck transfer")
    }

    @Test func cancellingTheTaskStopsTheFetch() async throws {
        let server = try LoopbackServer.silent()
        let fixture = try MirrorFixture()
        let mirror = try await fixture.mirror("http://127.0.0.1:\(server.port)/repo.git")
        let task = Task { try await mirror.fetch("main", options: NetworkOptions(timeout: nil)) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let error = await #expect(throws: GitError.self) { try await task.value }
        #expect(error?.kind == .cancelled)
    }

    @Test func cancellingMidTransferLeavesTheMirrorUnchanged() async throws {
        let fixture = try MirrorFixture()
        var files: [String: String] = [:]
        for index in 0..<200 {
            files["apps/app\(index)/deploy.yaml"] = deployment("app\(index)", image: "img:\(index)")
        }
        try fixture.publish("many", files)
        let mirror = try await fixture.mirror()
        let holder = TaskHolder()
        let task = Task {
            try await mirror.fetch("main", options: NetworkOptions(progress: { _ in holder.cancel() }))
        }
        holder.set(task)
        let error = await #expect(throws: GitError.self) { try await task.value }
        #expect(error?.kind == .cancelled)
        await #expect(throws: GitError.self) { try await mirror.resolve("main") }
        #expect(try await mirror.fetch("main").downloaded)
    }
}

/// Lets a progress callback cancel the task it runs in.
final class TaskHolder: Sendable {
    private let task = Mutex<Task<FetchResult, any Error>?>(nil)
    func set(_ value: Task<FetchResult, any Error>) { task.withLock { $0 = value } }
    func cancel() { task.withLock { $0?.cancel() } }
}
