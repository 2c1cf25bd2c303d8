import Foundation
import Hummingbird
import HummingbirdTesting
import KeelsonCore
import KeelsonGit
import KeelsonSimulator
import Logging
import Testing

@testable import KeelsonServer

/// The daemon's routes in process (HummingbirdTesting's router client: no socket, no binary),
/// beside the end-to-end tests that start `keelson run`: who may read and change what, and what
/// each answer says.
struct RouteTests {
    static let apiToken = "api-token-3f9a"

    /// A daemon over a fresh home holding one application, its scheduler not started.
    static func daemon(apiToken: String? = RouteTests.apiToken, webhookSecret: String? = "hook-secret")
        throws -> Daemon
    {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("keelson-routes-\(UUID())").path
        let store = try ApplicationStore(home: home)
        try store.add(Application(name: "web", repository: "https://git.example.com/shop/manifests", path: "apps/web"))
        let cluster = try SimulatedCluster(path: (home as NSString).appendingPathComponent("cluster.sqlite"))
        let driver = SimulatedClusterDriver(cluster: cluster)
        let reconciler = Reconciler(home: home, store: store) { _ in driver }
        var settings = Daemon.Settings()
        settings.apiToken = apiToken.map(Secret.init)
        settings.webhookSecret = webhookSecret.map(Secret.init)
        return Daemon(
            settings: settings, reconciler: reconciler, drivers: { _ in driver }, logger: Logger(label: "test"))
    }

    static func test(_ daemon: Daemon, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void)
        async throws
    {
        try await Application(router: daemon.router()).test(.router) { client in try await body(client) }
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test func livenessAnswersAtOnceAndReadinessWaitsForTheFirstRound() async throws {
        try await Self.test(try Self.daemon()) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response) == "ok\n")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(Self.text(response).contains("waiting for the first reconcile"))
            }
        }
    }

    @Test func theAPINeedsItsTokenForReadsToo() async throws {
        try await Self.test(try Self.daemon()) { client in
            try await client.execute(uri: "/api/v1/applications", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/v1/applications", method: .get, headers: [.authorization: "Bearer not-the-token"]
            ) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/api/v1/applications", method: .get, headers: [.authorization: "Bearer \(Self.apiToken)"]
            ) { response in
                #expect(response.status == .ok)
                let views = try JSONSerialization.jsonObject(with: Data(Self.text(response).utf8)) as? [[String: Any]]
                #expect(views?.compactMap { $0["name"] as? String } == ["web"])
            }
            // Basic auth carries the token as its password.
            let basic = "Basic " + Data("keelson:\(Self.apiToken)".utf8).base64EncodedString()
            try await client.execute(uri: "/api/v1/applications/web", method: .get, headers: [.authorization: basic]) {
                response in
                #expect(response.status == .ok)
            }
            try await client.execute(
                uri: "/api/v1/applications/nope", method: .get, headers: [.authorization: "Bearer \(Self.apiToken)"]
            ) { response in
                #expect(response.status == .notFound)
                #expect(Self.text(response).contains("nope"))
            }
        }
    }

    @Test func withoutATokenTheAPIAndAlertsAreOffAndSaySo() async throws {
        try await Self.test(try Self.daemon(apiToken: nil)) { client in
            try await client.execute(uri: "/api/v1/applications", method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(Self.text(response).contains("--api-token-file"))
            }
            try await client.execute(uri: "/api/alerts", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .forbidden)
                #expect(Self.text(response).contains("alerts are off"))
            }
        }
    }

    @Test func anUnsignedPushIsRefusedAndCounted() async throws {
        let daemon = try Self.daemon()
        try await Self.test(daemon) { client in
            try await client.execute(
                uri: "/api/webhook", method: .post,
                headers: [.init("X-GitHub-Event")!: "push", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"ref":"refs/heads/main","repository":{"clone_url":"x"}}"#)
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.text(response).lowercased().contains("signature"), "\(Self.text(response))")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let counted = #"keelson_webhook_requests_total{provider="github",result="unauthorized"} 1"#
                #expect(Self.text(response).contains(counted))
            }
        }
    }

    @Test func metricsArePrometheusText() async throws {
        try await Self.test(try Self.daemon()) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(Self.text(response).contains("# HELP keelson_"))
            }
        }
    }
}
