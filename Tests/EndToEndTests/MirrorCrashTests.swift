import Foundation
import KeelsonTestSupport
import Testing

extension DaemonCLITests {
    /// Each round pushes two image bumps that bring 120 new files each (fetches too large to
    /// unpack, so the mirror reaches a third pack and repacks); the daemon is killed (SIGKILL) 0 to
    /// 49 ms after the last push, or just after a pack write started. After each kill the mirror passes `git fsck`, and a
    /// restarted daemon deploys the newest commit.
    @Test func killingTheDaemonDuringMirrorMaintenanceLeavesAUsableMirror() async throws {
        let (scenario, first, _) = try await running()
        try await first.crash()
        // 8 MiB that do not compress, outside every application's path: each repack that
        // rewrites it takes long enough for a kill to land inside.
        let noise = URL(fileURLWithPath: scenario.repository.workPath).appendingPathComponent("assets/noise.bin")
        try FileManager.default.createDirectory(
            at: noise.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((0..<(8 << 20)).map { _ in UInt8.random(in: 0...255) }).write(to: noise)
        try await scenario.push("assets")
        var interrupted = 0
        // Temporary files stay an hour: count a round only for one of its own.
        var temporaryFiles: Set<String> = []
        for round in 0..<8 {
            let daemon = try DaemonProcess(
                home: scenario.home.path,
                arguments: ["--webhook-secret-file", scenario.home.appending("webhook-secret"), "--interval", "1h"])
            #expect(try await daemon.eventually { try await daemon.request("GET", "/healthz").status == 200 })
            // Two image bumps, each with 120 new files elsewhere: fetches too large to unpack, so
            // that the mirror reaches three packs and repacks, rewriting the noise.
            var commit = ""
            for bump in 0..<2 {
                for file in 0..<120 {
                    try scenario.repository.write("assets/\(round)-\(bump)/\(file).txt", "\(round) \(bump) \(file)")
                }
                try scenario.writeDeployment("web", app: "web", image: "\(round).\(bump)")
                commit = try await scenario.push("web \(round).\(bump)")
                let (body, headers) = try Self.githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])
                _ = try await daemon.request("POST", "/api/webhook", body: body, headers: headers)
            }
            let mirror = try Self.mirrorFolder(scenario)
            let packFolder = mirror + "/objects/pack"
            let temporary = {
                Set(
                    try FileManager.default.contentsOfDirectory(atPath: packFolder).filter {
                        $0.hasPrefix("pack_") || $0.hasPrefix("tmp_")
                    })
            }
            if round.isMultiple(of: 2) {
                // Even rounds: 0 to 18 ms into a pack write (a fetch's or the repack's).
                let deadline = ContinuousClock.now + .seconds(2)
                while try temporary().isSubset(of: temporaryFiles), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(1))
                }
                try await Task.sleep(for: .milliseconds(round * 3))
            } else {
                // Odd rounds: 7 to 49 ms after the last push, wherever that falls.
                try await Task.sleep(for: .milliseconds(round * 7))
            }
            try await daemon.crash()
            let leftovers = try temporary()
            if !leftovers.isSubset(of: temporaryFiles) { interrupted += 1 }
            temporaryFiles.formUnion(leftovers)
            let fsck = try await Command.execute(["git", "-C", mirror, "fsck", "--no-dangling"])
            #expect(fsck.status == 0, "round \(round): \(fsck.stdout)\(fsck.stderr)")

            let restarted = try DaemonProcess(home: scenario.home.path, arguments: ["--interval", "1h"])
            #expect(
                try await restarted.eventually {
                    try await restarted.history("web").first?["revision"] as? String == commit
                },
                "round \(round): the restarted daemon did not deploy \(commit); its log ends: \(Self.logTail(restarted))"
            )
            try await restarted.crash()
        }
        print("kills during a pack write (its temporary file left): \(interrupted) of 8")
        #expect(interrupted >= 4, "the kills of even rounds must land inside pack writes")
    }

    /// The last 3,000 characters of a daemon's log.
    static func logTail(_ daemon: DaemonProcess) -> String {
        String(((try? String(contentsOfFile: daemon.log, encoding: .utf8)) ?? "").suffix(3000))
    }

    /// The one mirror of the scenario's repository in its home.
    static func mirrorFolder(_ scenario: GitOpsScenario) throws -> String {
        let mirrors = scenario.home.appending("mirrors")
        let names = try FileManager.default.contentsOfDirectory(atPath: mirrors)
        guard let name = names.first, names.count == 1 else {
            throw ScenarioError(message: "expected one mirror in \(mirrors), found \(names)")
        }
        return mirrors + "/" + name
    }
}
