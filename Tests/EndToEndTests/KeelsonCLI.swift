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
