import Foundation
import KeelsonTestSupport
import Testing

/// The daemon keeps answering health checks whatever other clients do on loopback.
@Suite(.serialized) struct HostileClientTests {
    @Test func slowAndIdleClientsBeyondTheFileLimitDoNotStarveHealthChecks() async throws {
        let home = try TemporaryFolder()
        let daemon = try DaemonProcess(home: home.path)
        #expect(try await daemon.request("GET", "/healthz").status == 200)
        // As on many hosts: 1,024 open files at most.
        try await Command.run(["prlimit", "--pid", "\(daemon.pid)", "--nofile=1024:1024"])
        let port = try #require(daemon.base.split(separator: ":").last.map(String.init))

        // 1,100 connections: half send nothing, half trickle a header that never ends (slowloris);
        // bounded to 12 seconds.
        let clients = try SlowClients(port: port, connections: 1100, seconds: 12)
        for attempt in 0..<5 {
            let health = try await daemon.request("GET", "/healthz", timeout: 3)
            #expect(health.status == 200, "health check \(attempt) during the slow clients")
            try await Task.sleep(for: .milliseconds(500))
        }
        let report = try clients.finish()
        #expect(report.opened >= 1000, "\(report)")
        #expect(report.closedByServer > 0, "the server closed none of the waiting connections: \(report)")
        #expect(try await daemon.request("GET", "/healthz", timeout: 3).status == 200)
        #expect(try await daemon.stop() == 0)
    }

    @Test func openFilesNearTheLimitAreWarnedOfInTheLog() async throws {
        let home = try TemporaryFolder()
        let daemon = try DaemonProcess(home: home.path)
        #expect(try await daemon.request("GET", "/healthz").status == 200)
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/fd").count
        // A limit its open files are more than 80 % of, with room for a few more.
        let limit = open * 100 / 85
        try await Command.run(["prlimit", "--pid", "\(daemon.pid)", "--nofile=\(limit):\(limit)"])
        #expect(
            try await daemon.eventually(within: 30) {
                try String(contentsOfFile: daemon.log, encoding: .utf8).contains(
                    "more than 80 % of the limit of \(limit) (ulimit -n)")
            }, "no warning with \(open) files open and a limit of \(limit)")
        #expect(try await daemon.request("GET", "/healthz", timeout: 3).status == 200)
        #expect(try await daemon.stop() == 0)
    }
}

/// A python3 process holding many connections open to a port without ever finishing a request.
private final class SlowClients: Sendable {
    struct Report: CustomStringConvertible {
        let opened: Int
        let closedByServer: Int
        var description: String { "opened \(opened), closed by the server \(closedByServer)" }
    }

    private let process: Process
    private let output: Pipe

    init(port: String, connections: Int, seconds: Int) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            """
            import socket, sys, time
            port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
            end = time.monotonic() + seconds
            sockets = []
            for index in range(count):
                try:
                    s = socket.create_connection(("127.0.0.1", port), timeout=2)
                except OSError:
                    continue
                if index % 2:
                    s.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: keelson\\r\\nX-Slow: ")
                s.setblocking(False)
                sockets.append(s)
            print("opened", len(sockets), flush=True)
            closed = set()
            while time.monotonic() < end:
                for number, s in enumerate(sockets):
                    if number in closed:
                        continue
                    try:
                        if s.recv(1) == b"":
                            closed.add(number)
                            continue
                    except BlockingIOError:
                        pass
                    except OSError:
                        closed.add(number)
                        continue
                    if number % 2:
                        try:
                            s.send(b"a")
                        except OSError:
                            closed.add(number)
                time.sleep(0.5)
            print(len(sockets), len(closed), flush=True)
            """,
            port, String(connections), String(seconds),
        ]
        output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = output.fileHandleForReading.readLine()
        guard line.hasPrefix("opened") else { throw ScenarioError(message: "the slow clients did not start: \(line)") }
    }

    /// Waits for the clients to end and says what happened to their connections.
    func finish() throws -> Report {
        let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let numbers = rest.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard numbers.count == 2 else { throw ScenarioError(message: "the slow clients said \(rest)") }
        return Report(opened: numbers[0], closedByServer: numbers[1])
    }
}
