import Foundation
import KeelsonTestSupport
import Testing

@testable import KeelsonGit

/// Mirror maintenance: a mirror fetched after every push stays at one or two packs (small
/// fetched packs become loose objects, and loose objects a pack once they pass a tenth of the
/// packed ones), keeps every reachable commit, holds no file open for the packs it removed, and
/// sheds what force-pushes left unreachable once that is older than the expiry.
struct MaintenanceTests {
    /// The files this process holds open under `folder`.
    static func openFiles(under folder: String) throws -> Int {
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        return descriptors.compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)
        }
        .filter { $0.hasPrefix(folder) }.count
    }

    @Test func smallFetchesAreUnpackedSoTheMirrorStaysAtOneOrTwoPacks() async throws {
        let fixture = try MirrorFixture()
        let mirror = try await fixture.mirror()
        var commits: [ObjectID] = []
        for push in 0..<24 {
            commits.append(
                try fixture.publish("bump \(push)", ["apps/web/deploy.yaml": deployment("web", image: "web:\(push)")]))
            _ = try await mirror.fetch("main")
            // Reading every commit opens every pack the mirror has.
            for commit in commits { _ = try await mirror.readFiles(under: "apps", at: commit) }
            // The fetch unpacked its own pack before it returned.
            #expect(await mirror.objectFiles.packs == 1, "push \(push)")
        }
        let statistics = await mirror.statistics
        #expect(statistics.unpacks == 23, "\(statistics)")
        #expect(statistics.failedRepacks == 0)
        // 23 fetches of 5 objects each (after the first) are loose, short of the 500 that start a repack.
        #expect(await mirror.objectFiles.looseObjects >= 5 * 23)
        #expect(statistics.repacks == 0)
        for commit in commits {
            #expect(try await mirror.readFiles(under: "apps", at: commit).first?.path == "apps/web/deploy.yaml")
        }
        #expect(try await mirror.log(from: commits.last!).count == commits.count)
        // libgit2 let go of the packs removed: the mirror holds at most its one pack open.
        #expect(try Self.openFiles(under: mirror.folder) <= 2)
    }

    @Test func largeFetchesKeepTheirPacksAndATenthLooseOrAThirdPackRepacksAll() async throws {
        let fixture = try MirrorFixture()
        let mirror = try await fixture.mirror()
        // Two pushes of 120 files each: packs too large to unpack. The third pack starts a repack.
        let files = { (push: Int) in
            Dictionary(uniqueKeysWithValues: (0..<120).map { ("bulk/\(push)/\($0).yaml", "n: \(push)-\($0)") })
        }
        try fixture.publish("bulk 0", files(0))
        _ = try await mirror.fetch("main")
        try fixture.publish("bulk 1", files(1))
        _ = try await mirror.fetch("main")
        try await eventually { await mirror.objectFiles.packs == 2 }
        #expect(await mirror.statistics.repacks == 0)
        try fixture.publish("bulk 2", files(2))
        _ = try await mirror.fetch("main")
        try await eventually { await mirror.statistics.repacks == 1 }
        try await eventually { await mirror.objectFiles.packs == 1 }

        // 12 pushes of 50 small files (54 objects each): loose, until they pass 500.
        var last: ObjectID?
        for push in 0..<12 {
            last = try fixture.publish(
                "small \(push)",
                Dictionary(uniqueKeysWithValues: (0..<50).map { ("small/\(push)/\($0).yaml", "small: \(push)-\($0)") }))
            _ = try await mirror.fetch("main")
        }
        try await eventually { await mirror.statistics.repacks == 2 }
        try await eventually { await mirror.objectFiles.packs == 1 }
        #expect(await mirror.objectFiles.looseObjects < 500)
        #expect(await mirror.statistics.failedRepacks == 0)
        #expect(try await mirror.readFiles(under: "small/11", at: last!).count == 50)
        #expect(try await mirror.readFiles(under: "bulk", at: last!).count == 360)
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

    private func eventually(
        _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the condition did not hold within 5 s", sourceLocation: sourceLocation)
    }
}
