import Foundation
import KeelsonTestSupport
import Testing

/// Keelson's home on a small file system that fills up: reads go on, every write says what is
/// wrong, nothing recorded is lost, and all is well once space is freed.
struct FullDiskTests {
    /// Whether this machine lets the tests mount a tmpfs (root, or a user namespace that may).
    static let canMount: Bool = {
        guard let probe = try? TemporaryFolder("mount-probe") else { return false }
        guard Self.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.path]) else { return false }
        _ = Self.run(["umount", probe.path])
        return true
    }()

    @discardableResult
    static func run(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: canMount, "needs to mount a tmpfs (root)"))
    func aFullDiskLosesNothingKeepsReadsAndNamesTheDevice() async throws {
        let scenario = try GitOpsScenario()
        let disk = try TemporaryFolder("small-disk")
        #expect(Self.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.path]))
        defer { Self.run(["umount", "-l", disk.path]) }
        let home = disk.appending("home")
        func keelson(_ arguments: String...) async throws -> Command.Outcome {
            try await KeelsonCLI.run(arguments, home: home)
        }
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        #expect(
            try await keelson("app", "add", "web", "--repo", scenario.repository.url, "--path", "apps/web").status == 0)
        #expect(try await keelson("reconcile", "--wait").status == 0)
        let historyBefore = try await keelson("history", "web", "-o", "json").stdout

        // The disk fills up; a new commit comes.
        let filler = disk.appending("filler")
        Self.run(["sh", "-c", "dd if=/dev/zero of=\(filler) bs=64k 2>/dev/null; true"])
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        try await scenario.push("web 2.0")

        let status = try await keelson("status", "web")
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("Synced"), "\(status.stdout)")
        #expect(try await keelson("history", "web", "-o", "json").stdout == historyBefore)
        let reconcile = try await keelson("reconcile", "--wait")
        #expect(reconcile.status != 0)
        #expect(reconcile.stderr.contains("no space left on the device holding \(home)"), "\(reconcile.stderr)")
        #expect(!reconcile.stderr.contains("SQLite error"), "\(reconcile.stderr)")
        #expect(try await keelson("history", "web", "-o", "json").stdout == historyBefore)

        // Space comes back: the next reconcile deploys the new commit.
        try FileManager.default.removeItem(atPath: filler)
        let recovered = try await keelson("reconcile", "--wait")
        #expect(recovered.status == 0, "\(recovered.stderr)")
        let history = try await keelson("history", "web", "-o", "json").stdout
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(entries.first?["outcome"] as? String == "Succeeded")
        #expect(entries.allSatisfy { $0["outcome"] as? String != "Failed" })
    }
}
