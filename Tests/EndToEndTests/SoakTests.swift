import Foundation
import KeelsonTestSupport
import Testing

/// The daemon under a steady stream of signed pushes (`keelson bench --scenarios soak`), with its
/// open-file limit lowered to 200: everything is deployed, and what it holds stays flat.
struct SoakTests {
    @Test func openFilesStayFlatAndEveryPushIsDeployedUnderALowFileLimit() async throws {
        let folder = try TemporaryFolder()
        // Four applications take 75 pushes each: more than their history keeps (50).
        let soak = try await KeelsonCLI.run(
            "bench", "--scenarios", "soak", "--pushes", "300", "--soak-apps", "4", "--open-files-limit", "200",
            "--folder", folder.path, "--json", home: folder.appending("unused"))
        #expect(soak.status == 0, "\(soak.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(soak.stdout.utf8)) as? [String: Any], "\(soak.stdout)")
        #expect(report["refusedPushes"] as? Int == 0)
        #expect(report["stalledPushes"] as? Int == 0)
        #expect(report["daemonAlive"] as? Bool == true)
        let samples = try #require(report["samples"] as? [[String: Any]])
        #expect(samples.count == 11)
        // From the end of warm-up on: the first tenth, and the first repack (at some 500 loose
        // objects, 100 pushes), which starts the threads that watch child processes.
        let openFiles = samples.dropFirst(4).compactMap { $0["openFiles"] as? Int }
        #expect(openFiles.max()! - openFiles.min()! <= 10, "\(openFiles)")
        // Each fetch unpacked its small pack: the mirror's one pack, and the one a repack writes.
        let packs = samples.compactMap { $0["packs"] as? Int }
        #expect(packs.allSatisfy { $0 <= 2 }, "\(packs)")

        let history = try await KeelsonCLI.run(
            "history", "app-0001", "--limit", "1000", "-o", "json", home: folder.appending("soak-home"))
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])
        #expect((50...53).contains(entries.count), "\(entries.count) entries kept")
    }
}
