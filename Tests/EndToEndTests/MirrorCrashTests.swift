import Foundation
import KeelsonTestSupport
import Testing

extension DaemonCLITests {
    /// Pushes arrive faster than they deploy, so every fetch starts a roll-up or repack of the
    /// mirror; the daemon is killed (SIGKILL) at random moments among them (0 to 49 ms after the last push). After each kill the
    /// mirror passes `git fsck`, and a restarted daemon deploys the newest commit.
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
        for round in 0..<8 {
            let daemon = try DaemonProcess(
                home: scenario.home.path,
                arguments: ["--webhook-secret-file", scenario.home.appending("webhook-secret"), "--interval", "1h"])
            #expect(try await daemon.eventually { try await daemon.request("GET", "/healthz").status == 200 })
            var commit = ""
            for push in 0..<6 {
                try scenario.writeDeployment("web", app: "web", image: "\(round).\(push)")
                commit = try await scenario.push("web \(round).\(push)")
                let (body, headers) = try Self.githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])
                _ = try await daemon.request("POST", "/api/webhook", body: body, headers: headers)
            }
            // 0 to 49 ms after the last push: while fetches, roll-ups and renders go on.
            try await Task.sleep(for: .milliseconds(round * 7))
            try await daemon.crash()

            let mirror = try Self.mirrorFolder(scenario)
            let packFolder = mirror + "/objects/pack"
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: packFolder)
            if leftovers.contains(where: { $0.hasPrefix("pack_") || $0.hasPrefix("tmp_") }) { interrupted += 1 }
            let fsck = try await Command.execute(["git", "-C", mirror, "fsck", "--no-dangling"])
            #expect(fsck.status == 0, "round \(round): \(fsck.stdout)\(fsck.stderr)")

            let restarted = try DaemonProcess(home: scenario.home.path, arguments: ["--interval", "1h"])
            #expect(
                try await restarted.eventually {
                    try await restarted.history("web").first?["revision"] as? String == commit
                },
                "round \(round): the restarted daemon did not deploy \(commit)")
            try await restarted.crash()
        }
        print("kills during a pack write (its temporary file left): \(interrupted) of 8")
        #expect(interrupted >= 4, "the kills must land inside pack writes, not only between them")
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
