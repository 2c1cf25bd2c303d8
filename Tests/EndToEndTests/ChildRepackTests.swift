import Foundation
import KeelsonGit
import KeelsonTestSupport
import Testing

/// The daemon's repacks run in a child process (`keelson mirror-repack`), so that the memory
/// libgit2's pack builder takes leaves with it.
extension DaemonCLITests {
    /// Every push brings 120 new files (a pack too large to unpack), so every second push leaves
    /// the mirror at three packs and repacks: six repacks must leave the daemon holding no more
    /// pipes (each child is read through two).
    @Test func theDaemonRepacksInAChildProcessAndKeepsNoFileOfIt() async throws {
        let (scenario, daemon, _) = try await running(arguments: ["--interval", "1h"])
        var commit = ""
        func push(_ number: Int) async throws {
            for file in 0..<120 { try scenario.repository.write("assets/\(number)/\(file).txt", "\(number) \(file)") }
            try scenario.writeDeployment("web", app: "web", image: "\(number)")
            commit = try await scenario.push("web \(number)")
            let (body, headers) = try Self.githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])
            _ = try await daemon.request("POST", "/api/webhook", body: body, headers: headers)
            #expect(
                try await daemon.eventually { try await daemon.history("web").first?["revision"] as? String == commit })
        }
        func repacks() async throws -> Int {
            let metrics = try await daemon.request("GET", "/metrics").body
            let line = metrics.split(separator: "\n").first {
                $0.hasPrefix("keelson_git_repacks_total{result=\"full\"}")
            }
            return Int(Double(line?.split(separator: " ").last ?? "") ?? 0)
        }
        func pipes() throws -> Int {
            let folder = "/proc/\(daemon.pid)/fd"
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\($0)"))?.hasPrefix("pipe:")
                    == true
            }.count
        }

        // The first pack, small, is unpacked: the third push leaves three packs.
        for number in 0..<3 { try await push(number) }
        #expect(try await daemon.eventually { try await repacks() == 1 })
        let before = try pipes()
        for number in 3..<15 { try await push(number) }
        #expect(try await daemon.eventually { try await repacks() == 7 })
        #expect(try pipes() == before)
        let fsck = try await Command.execute(["git", "-C", try Self.mirrorFolder(scenario), "fsck", "--no-dangling"])
        #expect(fsck.status == 0, "\(fsck.stdout)\(fsck.stderr)")
    }
}

/// A repack in a child process that fails.
struct ChildRepackTests {
    @Test func aChildRepackThatFailsChangesNothingAndSaysWhy() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1")
        _ = try await scenario.push("web 1")
        let mirror = try await MirrorCache(stateFolder: scenario.home.path).mirror(
            for: RemoteURL(scenario.repository.url))
        let commit = try await mirror.fetch("main").commit
        let before = await mirror.objectFiles

        let error = await #expect(throws: GitError.self) {
            try await mirror.repack(with: .childProcess(executable: "/bin/false"))
        }
        #expect(error?.operation.hasPrefix("repack \(mirror.folder) in a child process") == true)
        #expect(error?.message.contains("exited with status 1") == true, "\(String(describing: error))")
        #expect(await mirror.statistics.failedRepacks == 1)
        #expect(await mirror.objectFiles == before)
        #expect(try await mirror.commit(commit).id == commit)
    }

}
