import Foundation
import Synchronization

/// Where a mirror's repack runs. libgit2's pack builder allocates and frees memory in proportion
/// to the mirror, and malloc keeps much of it once freed: a daemon that repacked in its own
/// process grew from 82 to 110 MiB over 3,000 pushes, one that never repacked from 72 to 78 MiB.
/// So the daemon repacks in a child process that exits after the pack is written, as git runs
/// `gc`; commands that run once repack in their own process.
public enum PackWriter: Sendable {
    case inProcess
    /// `executable mirror-repack FOLDER`, which prints the new pack's name
    /// (``writePackOfReachableObjects(inMirror:)`` in that process).
    case childProcess(executable: String)

    private static let chosen = Mutex(PackWriter.inProcess)

    /// The writer every mirror of this process uses (process-wide, like libgit2's own options).
    public static var current: PackWriter {
        get { chosen.withLock { $0 } }
        set { chosen.withLock { $0 = newValue } }
    }

    /// Packs every object the references of the mirror at `folder` reach into one new pack in
    /// its `objects/pack`; the new pack's name (the hex after `pack-`).
    public static func writePackOfReachableObjects(inMirror folder: String) throws -> String {
        LibGit2.ensureInitialised()
        return try Repository.open(at: folder).writePackOfReachableObjects()
    }

    /// Writes the pack for the mirror at `folder` as this writer does, off the caller's thread.
    func writePack(inMirror folder: String) async throws -> String {
        switch self {
        case .inProcess:
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    let written = Result { try Self.writePackOfReachableObjects(inMirror: folder) }
                    // The handle is closed by now: its object cache and the pack builder's
                    // memory, freed on this thread, back to the system.
                    ProcessHeap.trim()
                    continuation.resume(with: written)
                }
            }
        case .childProcess(let executable):
            try await Self.run(executable, ["mirror-repack", folder], folder: folder)
        }
    }

    private static func run(_ executable: String, _ arguments: [String], folder: String) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let operation = "repack \(folder) in a child process"
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(
                    throwing: GitError(operation: operation, kind: .other, message: "\(error.localizedDescription)"))
            }
        }
        // Closed here: Foundation does not close a pipe's end when it lets go of it, and a
        // daemon repacks for months.
        let read = { (pipe: Pipe) in
            defer { try? pipe.fileHandleForReading.close() }
            return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let printed = read(output)
        let message = read(errors)
        guard status == 0, printed.count == 40, printed.allSatisfy(\.isHexDigit) else {
            throw GitError(
                operation: operation, kind: .other,
                message: message.isEmpty ? "exited with status \(status) and printed '\(printed)'" : message)
        }
        return printed
    }
}
