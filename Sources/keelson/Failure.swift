import ArgumentParser
import Foundation
import KeelsonManifests

/// Prints an error once, to stderr, and maps it to the exit code scripts expect: 1 when the input
/// was refused (invalid manifests) — commands signal failed operations with `ExitCode(1)` themselves —
/// and 2 for every other error.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as RenderFailure {
        for warning in failure.warnings { printError("warning: \(warning)") }
        for error in failure.errors { printError("error: \(error)") }
        printError(
            "\(failure.errors.count) manifest error\(failure.errors.count == 1 ? "" : "s"); nothing was rendered")
        throw ExitCode(1)
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("error: \(error)")
        throw ExitCode(2)
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
