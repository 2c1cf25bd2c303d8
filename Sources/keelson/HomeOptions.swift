import ArgumentParser
import Foundation

/// `--home`: where Keelson keeps its state (git mirrors, stores).
struct HomeOptions: ParsableArguments {
    @Option(name: .long, help: "Keelson's state folder (default: $KEELSON_HOME, else ./.keelson).")
    var home: String?

    /// The state folder as an absolute path.
    var folder: String {
        let chosen = home ?? ProcessInfo.processInfo.environment["KEELSON_HOME"] ?? ".keelson"
        return URL(fileURLWithPath: chosen).standardizedFileURL.path
    }
}
