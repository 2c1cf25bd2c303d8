import Foundation
import KeelsonTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Debian's Alertmanager on a free loopback port, sending every alert group to `receiver` with a
/// bearer token, as an operator would configure it in front of `keelson run`; ended with the test.
final class AlertmanagerProcess: @unchecked Sendable {
    // @unchecked: `process` is set once in init; signals are sent to its pid.
    private let process: Process
    private let folder: TemporaryFolder
    /// `http://127.0.0.1:PORT`.
    let base: String

    init(receiver: String, token: String) throws {
        folder = try TemporaryFolder()
        let tokenFile = folder.appending("keelson-alert-token")
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: tokenFile))
        let configuration = folder.appending("alertmanager.yml")
        try Data(
            """
            route:
              receiver: keelson
              group_by: [alertname, keelson_app]
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: keelson
                webhook_configs:
                  - url: \(receiver)
                    send_resolved: true
                    http_config:
                      authorization:
                        type: Bearer
                        credentials_file: \(tokenFile)
            """.utf8
        ).write(to: URL(fileURLWithPath: configuration))
        let port = try Self.freePort()
        base = "http://127.0.0.1:\(port)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = [
            "--pdeathsig", "TERM", "--", "/usr/bin/prometheus-alertmanager", "--config.file=\(configuration)",
            "--storage.path=\(folder.appending("data"))", "--web.listen-address=127.0.0.1:\(port)",
            "--cluster.listen-address=",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try Spawner.shared.run(process)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Whether it answers `/-/ready`.
    func isReady() async -> Bool {
        guard let (_, response) = try? await URLSession.shared.data(from: URL(string: base + "/-/ready")!) else {
            return false
        }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// Fires an alert through Alertmanager's own API (`POST /api/v2/alerts`), as Prometheus does.
    func fire(_ labels: [String: String], startsAt: Date) async throws {
        var request = URLRequest(url: URL(string: base + "/api/v2/alerts")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: [
            [
                "labels": labels, "annotations": ["summary": "fired by the test"],
                "startsAt": startsAt.formatted(.iso8601),
            ]
        ])
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw ScenarioError(message: "alertmanager refused the alert: \(String(decoding: data, as: UTF8.self))")
        }
    }

    /// A port nothing listens on now (the kernel's pick, released at once).
    private static func freePort() throws -> Int {
        let output = try Command.run(
            [
                "python3", "-c",
                "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
            ])
        guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ScenarioError(message: "no free port: \(output)")
        }
        return port
    }
}
