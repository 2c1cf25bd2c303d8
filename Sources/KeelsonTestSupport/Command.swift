import Foundation
import Synchronization

/// Runs fixture-building programs (`git`, `python3`) and reports failures with their output.
public enum Command {
    public struct Failure: Error, CustomStringConvertible {
        public let command: String
        public let status: Int32
        public let output: String
        public var description: String { "`\(command)` exited \(status): \(output)" }
    }

    /// What a finished program printed and how it exited.
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `arguments` (the first is looked up on PATH) in `folder`, returning standard output.
    ///
    /// - Throws: `Failure` with both outputs when the program exits non-zero.
    @discardableResult
    public static func run(
        _ arguments: [String], in folder: String? = nil, environment: [String: String] = [:], input: String? = nil
    ) throws -> String {
        let outcome = try execute(arguments, in: folder, environment: environment, input: input)
        guard outcome.status == 0 else {
            throw Failure(
                command: arguments.joined(separator: " "), status: outcome.status,
                output: outcome.stdout + outcome.stderr)
        }
        return outcome.stdout
    }

    /// Runs `arguments` and reports how it exited, whatever the status.
    public static func execute(
        _ arguments: [String], in folder: String? = nil, environment: [String: String] = [:], input: String? = nil
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Drain stderr alongside stdout: a program that fills one pipe while we wait on the other would hang.
        let errorData = ErrorDrain(errors.fileHandleForReading)
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorData.wait(), as: UTF8.self))
    }
}

extension Command {
    /// Runs `arguments` like the synchronous ``execute(_:in:environment:input:)``, waiting on a
    /// thread outside Swift's cooperative pool: tests that start many programs must not hold the
    /// pool's few threads (one per core) while the programs run, or every other test stalls.
    public static func execute(
        _ arguments: [String], in folder: String? = nil, environment: [String: String] = [:], input: String? = nil
    ) async throws -> Outcome {
        try await offCooperativePool {
            try execute(arguments, in: folder, environment: environment, input: input) as Outcome
        }
    }

    /// Runs `arguments` like the synchronous ``run(_:in:environment:input:)``, off the cooperative pool.
    @discardableResult
    public static func run(
        _ arguments: [String], in folder: String? = nil, environment: [String: String] = [:], input: String? = nil
    ) async throws -> String {
        try await offCooperativePool {
            try run(arguments, in: folder, environment: environment, input: input) as String
        }
    }

    /// Runs blocking `work` on a thread of its own and waits for it without holding a thread of
    /// Swift's cooperative pool.
    public static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result(catching: work)) }
        }
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class ErrorDrain: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let data = Mutex(Data())

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let read = handle.readDataToEndOfFile()
            data.withLock { $0 = read }
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data.withLock { $0 }
    }
}

extension FileHandle {
    /// The next line, without its newline, read byte by byte so that nothing after it is
    /// consumed; what is there when the other end closes first.
    public func readLine() -> String {
        var line = Data()
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}
