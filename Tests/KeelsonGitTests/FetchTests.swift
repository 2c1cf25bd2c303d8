import Foundation
import KeelsonGit
import KeelsonTestSupport
import Synchronization
import Testing

struct FetchTests {
    @Test func firstFetchClonesIntoABareMirror() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("first", ["apps/web/deploy.yaml": deployment("web", image: "web:1")])
        let mirror = try await fixture.mirror()
        let result = try await mirror.fetch("main")
        #expect(result.commit == head)
        #expect(result.previous == nil)
        #expect(result.downloaded)
        #expect(result.kind == .branch)
        #expect(result.receivedObjects > 0 && result.receivedBytes > 0)
        #expect(FileManager.default.fileExists(atPath: mirror.folder + "/HEAD"))
        #expect(!FileManager.default.fileExists(atPath: mirror.folder + "/.git"))
        #expect(try await mirror.resolve("main") == head)
    }

    @Test func fetchWithNothingNewDownloadsNothing() async throws {
        let fixture = try MirrorFixture()
        try fixture.publish("first", ["a.yaml": "a: 1"])
        let mirror = try await fixture.fetchedMirror()
        let again = try await mirror.fetch("main")
        #expect(!again.downloaded)
        #expect(!again.moved)
        #expect(again.receivedObjects == 0 && again.receivedBytes == 0)
        let stats = await mirror.statistics
        #expect(stats.refListings == 2)
        #expect(stats.downloads == 1)
    }

    @Test func fetchAfterAPushBringsTheNewCommit() async throws {
        let fixture = try MirrorFixture()
        let first = try fixture.publish("first", ["a.yaml": "a: 1"])
        let mirror = try await fixture.fetchedMirror()
        let second = try fixture.publish("second", ["a.yaml": "a: 2"])
        let result = try await mirror.fetch("main")
        #expect(result.previous == first)
        #expect(result.commit == second)
        #expect(result.downloaded && result.moved && !result.forced)
        #expect(result.receivedObjects == 3)  // commit, tree, blob
    }

    @Test func forcePushIsFollowed() async throws {
        let fixture = try MirrorFixture()
        let (mirror, _, doomed, replacement) = try await fixture.forcePushedAfterFetch()
        let result = try await mirror.fetch("main")
        #expect(result.previous == doomed)
        #expect(result.commit == replacement)
        #expect(result.forced)
    }

    @Test func progressIsReported() async throws {
        let fixture = try MirrorFixture()
        var files: [String: String] = [:]
        for index in 0..<50 { files["apps/app\(index)/deploy.yaml"] = deployment("app\(index)", image: "img:\(index)") }
        try fixture.publish("many", files)
        let seen = ProgressLog()
        let mirror = try await fixture.mirror()
        _ = try await mirror.fetch("main", options: NetworkOptions(progress: { seen.add($0) }))
        let last = try #require(seen.all.last)
        #expect(last.totalObjects > 100)
        #expect(last.receivedObjects == last.totalObjects)
    }

    @Test func aLocalPathWorksLikeAFileURL() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("first", ["a.yaml": "a: 1"])
        let mirror = try await fixture.mirror(fixture.git.remotePath)
        #expect(try await mirror.fetch("main").commit == head)
    }

    @Test func theCacheReopensAnExistingMirror() async throws {
        let fixture = try MirrorFixture()
        try fixture.publish("first", ["a.yaml": "a: 1"])
        _ = try await fixture.mirror().fetch("main")
        let reopened = try await MirrorCache(stateFolder: fixture.state.path).mirror(for: RemoteURL(fixture.git.url))
        let result = try await reopened.fetch("main")
        #expect(!result.downloaded)
    }

    @Test func aCorruptMirrorIsClonedAgain() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("first", ["a.yaml": "a: 1"])
        let folder = try await fixture.mirror().folder
        _ = try await fixture.mirror().fetch("main")
        try FileManager.default.removeItem(atPath: folder + "/objects")
        try FileManager.default.createDirectory(atPath: folder + "/objects", withIntermediateDirectories: true)
        let recovered = try await MirrorCache(stateFolder: fixture.state.path).mirror(for: RemoteURL(fixture.git.url))
        let result = try await recovered.fetch("main")
        #expect(result.downloaded)
        #expect(result.commit == head)
        #expect(try await recovered.readFiles(under: "a.yaml", at: head).first?.contents == Array("a: 1".utf8))
    }

    @Test func aMirrorThatIsNotARepositoryIsReplaced() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("first", ["a.yaml": "a: 1"])
        let folder = MirrorCache(stateFolder: fixture.state.path)
        let path = try await folder.mirror(for: RemoteURL(fixture.git.url)).folder
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path + "/HEAD"))
        let recovered = try await MirrorCache(stateFolder: fixture.state.path).mirror(for: RemoteURL(fixture.git.url))
        #expect(try await recovered.fetch("main").commit == head)
    }
}

/// Progress reports gathered from libgit2's thread.
final class ProgressLog: Sendable {
    private let reports = Mutex<[TransferProgress]>([])
    func add(_ progress: TransferProgress) { reports.withLock { $0.append(progress) } }
    var all: [TransferProgress] { reports.withLock { $0 } }
}

struct AddressTests {
    @Test func aCallerMayReachTheMirroredRepositoryByItsOwnAddress() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("first", ["a.yaml": "a: 1"])
        let mirror = try await fixture.mirror()
        let viaPath = NetworkOptions(address: try RemoteURL(fixture.git.remotePath + "/"))
        #expect(try await mirror.fetch("main", options: viaPath).commit == head)
        let elsewhere = NetworkOptions(address: try RemoteURL("file:///some/other/repo.git"))
        let error = await #expect(throws: GitError.self) { try await mirror.fetch("main", options: elsewhere) }
        #expect(error?.description.contains("another repository") == true)
    }
}
