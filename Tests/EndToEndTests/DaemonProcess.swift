import Foundation
import KeelsonTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `keelson run` as a child process on a free loopback port, ended with the test (SIGTERM from
/// the kernel if the test process dies first, through `setpriv --pdeathsig`).
final class DaemonProcess: @unchecked Sendable {
    // @unchecked: `process` is set once in init; signals are sent to its pid.
    private let process: Process
    private let output: Pipe
    /// `http://127.0.0.1:PORT`.
    let base: String
    /// The Keelson home it runs on.
    let home: String

    /// Where the daemon's standard error (its logs) goes.
    let log: String

    /// - Parameter log: a file for the daemon's standard error (default: `daemon.log` in the home).
    init(home: String, arguments: [String] = [], environment: [String: String] = [:], log: String? = nil) throws {
        self.home = home
        let log = log ?? (home as NSString).appendingPathComponent("daemon.log")
        self.log = log
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments =
            ["--pdeathsig", "TERM", "--", KeelsonCLI.path, "run", "--listen", "127.0.0.1:0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(
            GitFixture.environment.merging(["KEELSON_HOME": home, "NO_COLOR": "1"]) { $1 }
        ) { $1 }.merging(environment) { $1 }
        output = Pipe()
        process.standardOutput = output
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: log, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: log])
        }
        process.standardError = FileHandle(forWritingAtPath: log)
        try Spawner.shared.run(process)
        let text = output.fileHandleForReading.readLine()
        guard let range = text.range(of: "http://") else {
            process.terminate()
            throw ScenarioError(message: "keelson run printed \"\(text)\" instead of its address")
        }
        base = String(text[range.lowerBound...])
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Sends SIGKILL, as a crash or the OOM killer would, and waits until it is gone.
    func crash() async throws {
        kill(process.processIdentifier, SIGKILL)
        let process = process
        try await Command.offCooperativePool { process.waitUntilExit() }
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop() async throws -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<500 where process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        guard !process.isRunning else { throw ScenarioError(message: "keelson run did not stop on SIGTERM") }
        return process.terminationStatus
    }

    /// The daemon's process id.
    var pid: Int32 { process.processIdentifier }

    /// An HTTP request to the daemon; returns the status and the body.
    func request(
        _ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:],
        timeout: TimeInterval = 60
    ) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: base + path)!, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Asks until `condition` holds, every 20 ms, for at most `seconds`: a safety net, not a timing
    /// goal, generous because the test process's threads may be busy with other tests for a while.
    func eventually(within seconds: Double = 60, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}

/// Starts processes from one thread that lives as long as the test process: `--pdeathsig`
/// signals a child when the *thread* that started it ends, and the threads of Swift's
/// concurrency pool come and go (an idle one is reaped after a few seconds, and the daemon with it).
final class Spawner: @unchecked Sendable {
    // @unchecked: `job` and `result` are only touched between the two semaphores' signals.
    static let shared = Spawner()

    private let request = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let serial = NSLock()
    private var job: Process?
    private var result: (any Error)?

    private init() {
        let thread = Thread { [unowned self] in
            while true {
                request.wait()
                do { try job?.run() } catch { result = error }
                done.signal()
            }
        }
        thread.start()
    }

    /// Runs `process` from the spawning thread and waits until it has started.
    func run(_ process: Process) throws {
        serial.lock()
        defer { serial.unlock() }
        job = process
        result = nil
        request.signal()
        done.wait()
        job = nil
        if let result { throw result }
    }
}
