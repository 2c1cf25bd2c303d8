import Foundation
import KeelsonTestSupport
import Testing

@testable import KeelsonGit

/// Mirror maintenance: a mirror fetched after every push keeps its packs in geometric
/// progression (a few, whatever the number of pushes), keeps every reachable commit, holds no
/// file open for the packs it removed, and sheds what force-pushes left unreachable once that is
/// older than the expiry.
struct MaintenanceTests {
    /// Sizes in objects, smallest first: how many of the smallest are rolled up into one.
    @Test(arguments: [
        ([40_000], 0),
        ([5, 40_000], 0),
        ([5, 5], 2),  // the roll-up takes every pack: a full repack
        ([5, 5, 40_000], 2),  // the two small ones; the large one stays
        ([5, 12, 40_000], 0),  // already in progression
        ([5, 8, 20, 40_000], 3),  // 5 and 8 break it; 20 < 2 × 13 joins them
        ([5, 8, 30, 40_000], 2),
    ])
    func smallPacksAreRolledUpUntilEveryPackDoublesTheNext(sizes: [Int], rolledUp: Int) {
        #expect(Repository.geometricRollUp(sizes) == rolledUp)
    }

    /// The files this process holds open under `folder`.
    static func openFiles(under folder: String) throws -> Int {
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        return descriptors.compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)
        }
        .filter { $0.hasPrefix(folder) }.count
    }

    @Test func aMirrorFetchedAfterEveryPushStaysAtAFewPacksAndKeepsEveryCommit() async throws {
        let fixture = try MirrorFixture()
        let mirror = try await fixture.mirror()
        var commits: [ObjectID] = []
        for push in 0..<24 {
            commits.append(
                try fixture.publish("bump \(push)", ["apps/web/deploy.yaml": deployment("web", image: "web:\(push)")]))
            _ = try await mirror.fetch("main")
            // Reading every commit opens every pack the mirror has.
            for commit in commits { _ = try await mirror.readFiles(under: "apps", at: commit) }
        }
        // Each fetch started a roll-up in the background: the packs left double in size, so
        // 24 fetches of about 4 objects each leave at most log₂(24 × 4) of them.
        try await eventually { await mirror.objectFiles.packs <= 6 }
        try await eventually { await mirror.statistics.repacks + mirror.statistics.rollUps >= 8 }
        let statistics = await mirror.statistics
        #expect(statistics.rollUps >= 4, "\(statistics)")
        #expect(statistics.repacks >= 1, "\(statistics)")
        #expect(statistics.failedRepacks == 0)
        for commit in commits {
            #expect(try await mirror.readFiles(under: "apps", at: commit).first?.path == "apps/web/deploy.yaml")
        }
        #expect(try await mirror.log(from: commits.last!).count == commits.count)
        // libgit2 let go of the packs removed: the mirror holds at most its packs open.
        #expect(try Self.openFiles(under: mirror.folder) <= 2 * (await mirror.objectFiles.packs))
    }

    @Test func unreachableObjectsGoOnceOlderThanTheExpiryAndNotBefore() async throws {
        let fixture = try MirrorFixture()
        let (mirror, base, doomed, replacement) = try await fixture.forcePushedAfterFetch()
        _ = try await mirror.fetch("main")

        // Young, the force-pushed-away commit stays: a concurrent fetch may be about to point a ref at it.
        try await mirror.repack()
        #expect(try await mirror.commit(doomed).id == doomed)

        // An hour later nothing reaches it, and it goes; what the branch reaches stays.
        let objects = mirror.folder + "/objects"
        let old = Date().addingTimeInterval(-2 * GitMirror.pruneExpiry)
        for file in FileManager.default.subpaths(atPath: objects) ?? [] {
            try? FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: objects + "/" + file)
        }
        let result = try await mirror.repack()
        #expect(result.packsAfter == 1, "\(result)")
        await #expect(throws: GitError.self) { _ = try await mirror.commit(doomed) }
        #expect(try await mirror.commit(replacement).id == replacement)
        #expect(try await mirror.commit(base).id == base)
        let file = try await mirror.readFiles(under: "", at: replacement).first
        #expect(file.map { String(decoding: $0.contents, as: UTF8.self) }?.hasPrefix("a: 3") == true)
    }

    private func eventually(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the condition did not hold within 5 s")
    }
}
