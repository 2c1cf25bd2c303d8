import Foundation
import KeelsonTestSupport

/// The `keelson` binary built beside the test bundle, run as a user would run it.
enum KeelsonCLI {
    static let path: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("keelson").path
    }()

    /// The repository's root, where `manifests/` lives.
    static let repositoryRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    static func run(_ arguments: String..., in folder: String? = nil, home: String) async throws -> Command.Outcome {
        try await run(arguments, in: folder, home: home)
    }

    static func run(_ arguments: [String], in folder: String? = nil, home: String) async throws -> Command.Outcome {
        try await Command.execute(
            [path] + arguments, in: folder,
            environment: GitFixture.environment.merging(["KEELSON_HOME": home, "NO_COLOR": "1"]) { $1 })
    }
}

extension KeelsonCLI {
    /// Starts `keelson ARGUMENTS…` and kills it with SIGKILL, as a crash, a power cut or the OOM
    /// killer would: `delay` after `moment` first holds (asked every millisecond), or as soon as
    /// it exits by itself. Waits until it is gone.
    ///
    /// - Returns: whether it was killed (false: it had exited before `moment` came).
    @discardableResult
    static func killed(
        _ arguments: [String], home: String, after delay: Duration = .zero,
        once moment: @Sendable () throws -> Bool
    ) async throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            GitFixture.environment.merging(["KEELSON_HOME": home, "NO_COLOR": "1"]) { $1 }
        ) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning, try !moment() { try await Task.sleep(for: .milliseconds(1)) }
        try await Task.sleep(for: delay)
        let killed = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        try await Command.offCooperativePool { process.waitUntilExit() }
        return killed && process.terminationReason == .uncaughtSignal
    }
}
