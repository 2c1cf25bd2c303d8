import Foundation
import KeelsonGit
import Yams

/// What the same work costs with the plainest tools, measured in the same run on the same
/// repository, so Keelson's figures can be read as ratios that survive a noisy machine.
struct Floors {
    let repository: String
    let folder: String

    /// `git clone --bare` of the whole repository.
    func clone(repeats: Int) async throws -> Measurement {
        let target = (folder as NSString).appendingPathComponent("floor-clone.git")
        return try await Measurement.measure(
            "git clone --bare", repeats: repeats, prepare: { try? FileManager.default.removeItem(atPath: target) }
        ) {
            try Self.git(["clone", "--quiet", "--bare", "file://" + repository, target])
        }
    }

    /// `git fetch` when nothing changed, in a bare clone.
    func noOpFetch(repeats: Int) async throws -> Measurement {
        let target = (folder as NSString).appendingPathComponent("floor-fetch.git")
        if !FileManager.default.fileExists(atPath: target) {
            try Self.git(["clone", "--quiet", "--bare", "file://" + repository, target])
        }
        return try await Measurement.measure("git fetch (nothing new)", repeats: repeats) {
            try Self.git(["--git-dir", target, "fetch", "--quiet", "origin", "+refs/heads/*:refs/heads/*"])
        }
    }

    /// `git fetch` of one new commit bumping one application's image, into a bare clone: what
    /// any git client pays to learn of a push, before Keelson's own work.
    static func fetchOfOneCommit(_ monorepo: SyntheticMonorepo, app: Int, folder: String, repeats: Int) async throws
        -> Measurement
    {
        let target = (folder as NSString).appendingPathComponent(
            "floor-fetch-\(monorepo.apps)x\(monorepo.deploymentsPerApp).git")
        if !FileManager.default.fileExists(atPath: target) {
            try git(["clone", "--quiet", "--bare", monorepo.writer.url, target])
        }
        var round = 0
        return try await Measurement.measure(
            "git fetch of one pushed commit", repeats: repeats,
            prepare: {
                round += 1
                try monorepo.bumpImages(of: [app], to: "0.\(round).0-floor")
            }
        ) {
            try git(["--git-dir", target, "fetch", "--quiet", "origin", "+refs/heads/*:refs/heads/*"])
        }
    }

    /// Reading every manifest's bytes from a checkout, and parsing each with Yams alone.
    func readAndParse(repeats: Int) async throws -> (read: Measurement, parse: Measurement) {
        let checkout = (folder as NSString).appendingPathComponent("floor-checkout")
        try? FileManager.default.removeItem(atPath: checkout)
        try Self.git(["clone", "--quiet", "file://" + repository, checkout])
        let paths = try FileManager.default.subpathsOfDirectory(atPath: checkout + "/apps")
            .filter { $0.hasSuffix(".yaml") }.map { checkout + "/apps/" + $0 }
        var texts: [String] = []
        let read = try await Measurement.measure("read every manifest", repeats: repeats) {
            texts = try paths.map { String(decoding: try Data(contentsOf: URL(fileURLWithPath: $0)), as: UTF8.self) }
        }
        let parse = try await Measurement.measure("parse every manifest with Yams", repeats: repeats) {
            for text in texts { _ = try Yams.compose(yaml: text) }
        }
        return (read, parse)
    }

    static func git(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging([
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        ]) { $1 }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("git \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}

/// Why a benchmark could not run.
public struct BenchError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
