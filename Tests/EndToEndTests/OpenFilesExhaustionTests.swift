import Foundation
import KeelsonTestSupport
import Testing

extension DaemonCLITests {
    /// The daemon's open-file limit drops under what it holds: the push it is sent cannot be
    /// fetched. It stays up, says so on `/readyz` and `/metrics` (asked over a connection opened
    /// before), records no failed deployment, and deploys the push by itself once files are free.
    @Test func runningOutOfFilesIsReportedAndRecoveredFromWithoutAFailedEntry() async throws {
        let (scenario, daemon, _) = try await running()
        let port = try #require(daemon.base.split(separator: ":").last.map(String.init))
        let connection = try PersistentConnection(port: port)
        #expect(try connection.request("GET", "/readyz").status == 200)
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        let commit = try await scenario.push("web 2.0")
        let (body, headers) = try Self.githubPush(scenario, commit: commit, files: ["apps/web/web.yaml"])
        let entries = try await scenario.history("web").count

        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/fd").count
        try await Command.run(["prlimit", "--pid", "\(daemon.pid)", "--nofile=\(open):4096"])
        let push = try connection.request("POST", "/api/webhook", body: body, headers: headers)
        #expect([202, 503].contains(push.status), "\(push)")
        #expect(
            try await daemon.eventually(within: 30) {
                try connection.request("GET", "/readyz").status == 503
            })
        let readyz = try connection.request("GET", "/readyz")
        #expect(readyz.body.contains("too many open files"), "\(readyz.body)")
        #expect(
            try connection.request("GET", "/metrics").body.contains(
                "keelson_resource_exhausted{resource=\"open-files\"} 1"))
        #expect(try await scenario.history("web").count == entries, "no entry for a deployment that never started")

        // Files come back: the scheduler's retry deploys the push, and the daemon is ready again.
        try await Command.run(["prlimit", "--pid", "\(daemon.pid)", "--nofile=4096:4096"])
        #expect(
            try await daemon.eventually(within: 60) {
                try await daemon.history("web").first?["revision"] as? String == commit
            }, "\((try? String(contentsOfFile: daemon.log, encoding: .utf8)) ?? "")")
        #expect(try await daemon.eventually { try await daemon.request("GET", "/readyz").status == 200 })
        #expect(
            try await daemon.request("GET", "/metrics").body.contains(
                "keelson_resource_exhausted{resource=\"open-files\"} 0"))
        #expect(try await scenario.history("web").allSatisfy { $0["outcome"] as? String != "Failed" })
        #expect(try await daemon.stop() == 0)
    }
}

/// One HTTP/1.1 connection kept open (python3's `http.client`), for requests to a server that
/// can no longer accept new ones.
private final class PersistentConnection: Sendable {
    private let process: Process
    private let input: FileHandle
    private let output: FileHandle

    init(port: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            """
            import http.client, json, sys
            connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
            for line in sys.stdin:
                request = json.loads(line)
                body = bytes.fromhex(request["body"]) if request["body"] else None
                connection.request(request["method"], request["path"], body=body, headers=request["headers"])
                response = connection.getresponse()
                text = response.read().decode()
                print(json.dumps({"status": response.status, "body": text}), flush=True)
            """,
            port,
        ]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        input = stdin.fileHandleForWriting
        output = stdout.fileHandleForReading
    }

    deinit {
        process.terminate()
    }

    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) throws -> (
        status: Int, body: String
    ) {
        let request: [String: Any] = [
            "method": method, "path": path, "headers": headers,
            "body": body.map { $0.map { String(format: "%02x", $0) }.joined() } ?? "",
        ]
        input.write(try JSONSerialization.data(withJSONObject: request) + Data("\n".utf8))
        let answer = try JSONSerialization.jsonObject(with: Data(output.readLine().utf8)) as? [String: Any]
        return (answer?["status"] as? Int ?? 0, answer?["body"] as? String ?? "")
    }
}
