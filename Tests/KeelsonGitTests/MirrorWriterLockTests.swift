import Foundation
import KeelsonGit
import KeelsonTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// One writer per mirror across processes: a daemon killed while it moved a reference leaves
/// git's lock file behind, and the next writer removes it instead of failing on it forever; a
/// process writing the mirror makes the others wait rather than race it.
struct MirrorWriterLockTests {
    @Test func lockFilesLeftByAKilledWriterAreRemovedAndTheFetchGoesOn() async throws {
        let fixture = try MirrorFixture()
        let first = try fixture.publish("first", ["a.yaml": "a: 1"])
        let mirror = try await fixture.fetchedMirror()
        // What a kill inside `git_reference_create` leaves: the new ref's lock, written in part.
        let leftovers = ["refs/remotes/origin/main.lock", "packed-refs.lock"]
        for path in leftovers {
            #expect(FileManager.default.createFile(atPath: mirror.folder + "/" + path, contents: Data("0ab".utf8)))
        }
        let second = try fixture.publish("second", ["a.yaml": "a: 2"])
        let reported = Mutex<[String]>([])
        var options = NetworkOptions()
        options.staleLocksRemoved = { _, files in reported.withLock { $0 += files } }
        let result = try await mirror.fetch("main", options: options)
        #expect(result.previous == first)
        #expect(result.commit == second)
        #expect(try await mirror.resolve("main") == second)
        for path in leftovers {
            #expect(!FileManager.default.fileExists(atPath: mirror.folder + "/" + path), "\(path)")
        }
        #expect(await mirror.statistics.staleLocksRemoved == 2)
        #expect(reported.withLock { $0 } == leftovers.sorted())
        // The next fetch has nothing left to clear.
        let third = try fixture.publish("third", ["a.yaml": "a: 3"])
        #expect(try await mirror.fetch("main").commit == third)
        #expect(await mirror.statistics.staleLocksRemoved == 2)
    }

    @Test func aFetchWaitsWhileAnotherProcessWritesTheMirrorAndLeavesItsLockFilesAlone() async throws {
        let fixture = try MirrorFixture()
        let first = try fixture.publish("first", ["a.yaml": "a: 1"])
        let mirror = try await fixture.fetchedMirror()
        // Another process's hold: a second open of the file (flock holds conflict across opens).
        let other = open(mirror.folder + "/keelson.lock", O_RDWR)
        #expect(other >= 0)
        defer { close(other) }
        #expect(flock(other, LOCK_EX | LOCK_NB) == 0)
        // The other process is moving the ref just now.
        let live = mirror.folder + "/refs/remotes/origin/main.lock"
        #expect(FileManager.default.createFile(atPath: live, contents: Data()))
        try fixture.publish("second", ["a.yaml": "a: 2"])

        let error = await #expect(throws: GitError.self) {
            try await mirror.fetch("main", options: NetworkOptions(timeout: .milliseconds(300)))
        }
        #expect(error?.kind == .timedOut)
        // Wait for the fetch's own thread to give up on the hold, then look: nothing was touched.
        #expect(try await mirror.resolve("main") == first)
        #expect(FileManager.default.fileExists(atPath: live))
        #expect(await mirror.statistics.staleLocksRemoved == 0)

        // The other process finishes its write and lets go; the fetch goes through.
        try FileManager.default.removeItem(atPath: live)
        flock(other, LOCK_UN)
        #expect(try await mirror.fetch("main").previous == first)
    }

    /// The tracking ref moves only after the push landed: a leftover lock met there is cleared and
    /// that one step retried, so the restore answers with the commit it pushed, not "nothing to do".
    @Test func aRestoreMeetingALeftoverLockStillAnswersWithItsCommit() async throws {
        let fixture = try MirrorFixture()
        let good = try fixture.publish("good", ["apps/web/deploy.yaml": deployment("web", image: "web:1")])
        try fixture.publish("bad", ["apps/web/deploy.yaml": deployment("web", image: "web:broken")])
        let mirror = try await fixture.fetchedMirror()
        let leftover = mirror.folder + "/refs/remotes/origin/main.lock"
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data()))

        let revert = try #require(
            try await mirror.pushRestoring(
                ["apps/web"], to: good, onBranch: "main", message: "Roll back", author: RestoreTests.bot))
        #expect(
            try fixture.git.gitRemote("rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines) == revert.hex
        )
        #expect(try await mirror.resolve("refs/remotes/origin/main") == revert)
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }
}
