import Foundation
import Hummingbird
import KeelsonCore
import KeelsonGit
import Logging
import ServiceLifecycle

/// `keelson run`: the scheduler, the HTTP endpoints (webhooks, alerts, metrics, health, API) and
/// any services the target needs (the simulated cluster's clock), stopped together and gracefully
/// on SIGTERM or SIGINT. Everything that matters is in the stores, so a stop at any moment loses
/// nothing: a rollout in progress is picked up again after a restart.
public struct Daemon: Sendable {
    /// How the daemon runs; see `docs/operations.md`.
    public struct Settings: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 9420
        public var scheduler = Scheduler<ContinuousClock>.Settings()
        /// Push webhooks must be signed with it (or carry it, for GitLab); nil accepts unsigned ones.
        public var webhookSecret: Secret?
        /// Bearer token for the mutating API; nil turns those endpoints off.
        public var apiToken: Secret?
        /// The alert label naming the application to roll back.
        public var alertLabel = "keelson_app"
        /// Alerts roll back only deployments younger than this.
        public var rollbackWindow: Duration = .seconds(900)

        public init() {}
    }

    let settings: Settings
    let store: ApplicationStore
    let reconciler: Reconciler
    let drivers: @Sendable (KeelsonCore.Application.Destination) throws -> any TargetDriver
    let metrics = KeelsonMetrics()
    let logger: Logger
    let scheduler: Scheduler<ContinuousClock>
    let services: [any Service]

    /// - Parameters:
    ///   - drivers: The target driver of a destination (for metrics of live Deployments).
    ///   - services: Run beside the daemon and stopped with it, such as the simulated cluster's clock.
    public init(
        settings: Settings, reconciler: Reconciler,
        drivers: @escaping @Sendable (KeelsonCore.Application.Destination) throws -> any TargetDriver,
        services: [any Service] = [],
        logger: Logger
    ) {
        self.settings = settings
        self.store = reconciler.store
        self.reconciler = reconciler
        self.drivers = drivers
        self.services = services
        self.logger = logger
        let store = reconciler.store
        let worker = ReconcileWorker(reconciler: reconciler, metrics: metrics, logger: logger)
        scheduler = Scheduler(
            clock: ContinuousClock(), settings: settings.scheduler,
            applications: {
                try store.applications().map { .init(name: $0.name, interval: .seconds($0.syncPolicy.intervalSeconds)) }
            },
            work: { name, reason in await worker.run(name, reason: reason) })
    }

    /// Runs until SIGTERM or SIGINT (or the task is cancelled).
    ///
    /// - Parameter onListening: called with `host:port` once the HTTP server accepts connections.
    public func run(onListening: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        let host = settings.host
        let application = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: settings.port), serverName: "keelson"),
            services: [scheduler] + services,
            onServerRunning: { channel in await onListening("\(host):\(channel.localAddress?.port ?? 0)") },
            logger: logger)
        try await application.runService()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ in
            await scheduler.firstRoundDone
                ? Response.text("ready\n")
                : Response.text("waiting for the first reconcile of every application\n", status: .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            metrics.update(try await stateSnapshot())
            return Response.text(metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/api/v1/applications") { _, _ in
            let views = try store.applications().map { ApplicationView($0, status: try store.status(of: $0.name)) }
            return try Response.json(views)
        }
        router.get("/api/v1/applications/:name") { _, context in
            try Response.json(try view(context.parameters.require("name")))
        }
        router.post("/api/v1/applications/:name/sync") { request, context in
            try await authorized(request) {
                let name = try context.parameters.require("name")
                var options = Reconciler.Options()
                options.initiator = .manual
                _ = try await reconciler.reconcile(name, options: options)
                return try Response.json(try view(name))
            }
        }
        router.post("/api/v1/applications/:name/rollback") { request, context in
            try await authorized(request) {
                let name = try context.parameters.require("name")
                var options = Reconciler.RollbackOptions()
                options.historyID = request.uri.queryParameters.get("id", as: Int.self)
                options.revertCommit = request.uri.queryParameters.get("revertCommit") == "true"
                _ = try await reconciler.rollback(name, options: options)
                metrics.rolledBack(name, reason: "forced")
                return try Response.json(try view(name))
            }
        }
        return router
    }

    private func view(_ name: String) throws -> ApplicationView {
        do {
            return ApplicationView(try store.application(name), status: try store.status(of: name))
        } catch let error as ApplicationError {
            throw HTTPError(.notFound, message: error.description)
        }
    }

    /// Runs `body` when the request carries the API token; without a configured token the
    /// mutating endpoints are off.
    private func authorized(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        guard let token = settings.apiToken else {
            throw HTTPError(.forbidden, message: "the API is read-only: start keelson run with --api-token-file")
        }
        let given = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? $0.dropFirst(7) : nil }
        guard let given, ConstantTime.equal(Array(given.utf8), Array(token.value.utf8)) else {
            throw HTTPError(.unauthorized, message: "a valid `Authorization: Bearer <token>` is required")
        }
        do {
            return try await body()
        } catch let error as ApplicationError {
            throw HTTPError(.notFound, message: error.description)
        } catch let error as ReconcileError {
            throw HTTPError(.conflict, message: error.description)
        }
    }

    /// Every application's status and its live Deployments' replicas, for the metrics.
    private func stateSnapshot() async throws -> KeelsonMetrics.Snapshot {
        var snapshot = KeelsonMetrics.Snapshot()
        for application in try store.applications() {
            snapshot.applications.append((application.name, try store.status(of: application.name)))
            guard let driver = try? drivers(application.destination) else { continue }
            for object in try await driver.liveObjects(of: application.name) {
                if let rollout = object.rollout { snapshot.deployments.append((application.name, object.key, rollout)) }
            }
        }
        return snapshot
    }
}

extension Response {
    static func text(
        _ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8"
    )
        -> Response
    {
        Response(
            status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try ApplicationView.json(value) + Data("\n".utf8))))
    }
}

/// Comparison whose time does not depend on where the inputs differ.
enum ConstantTime {
    static func equal(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
