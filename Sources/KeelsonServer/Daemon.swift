import Foundation
import Hummingbird
import KeelsonCore
import KeelsonGit
import Logging
import NIOCore
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
        /// Bearer token for the JSON API, reads and changes alike; nil turns the API off.
        public var apiToken: Secret?
        /// Bearer token (or basic-auth password) Alertmanager sends with notifications; nil: the
        /// API token. With neither, alerts are refused.
        public var alertToken: Secret?
        /// The alert label naming the application to roll back.
        public var alertLabel = "keelson_app"
        /// Alerts roll back only deployments younger than this.
        public var rollbackWindow: Duration = .seconds(900)
        /// How long an alert that fired before a deployment may go on firing once it completed
        /// before it is blamed on it; see ``AlertRollbackPolicy/settle``.
        public var alertSettle: Duration = .seconds(360)
        /// Firing alerts that Alertmanager has not sent again for this long are forgotten: its
        /// `repeat_interval` (4 h by default) and a margin.
        public var alertExpiry: Duration = .seconds(4 * 3600 + 600)
        /// Open HTTP connections at most; at the limit, the one that has waited longest for its
        /// request is closed to let a new one in.
        public var maxConnections = 512
        /// A request must arrive whole within this, counted from the connection's start or the
        /// previous response; a connection kept open without one is closed after it.
        public var requestReadTimeout: Duration = .seconds(10)

        public init() {}
    }

    let settings: Settings
    let store: ApplicationStore
    let reconciler: Reconciler
    let drivers: @Sendable (KeelsonCore.Application.Destination) throws -> any TargetDriver
    let metrics: KeelsonMetrics
    let logger: Logger
    let scheduler: Scheduler<ContinuousClock>
    let alertResponder: AlertResponder
    let services: [any Service]
    let health = ResourceHealth()

    /// - Parameters:
    ///   - drivers: The target driver of a destination (for metrics of live Deployments).
    ///   - metrics: Where the daemon counts; the reconciler's git requests may be counted there too.
    ///   - services: Run beside the daemon and stopped with it, such as the simulated cluster's clock.
    public init(
        settings: Settings, reconciler: Reconciler,
        drivers: @escaping @Sendable (KeelsonCore.Application.Destination) throws -> any TargetDriver,
        metrics: KeelsonMetrics = KeelsonMetrics(),
        services: [any Service] = [],
        logger: Logger
    ) {
        self.settings = settings
        self.store = reconciler.store
        self.reconciler = reconciler
        self.drivers = drivers
        self.metrics = metrics
        self.logger = logger
        let store = reconciler.store
        let worker = ReconcileWorker(reconciler: reconciler, metrics: metrics, health: health, logger: logger)
        scheduler = Scheduler(
            clock: ContinuousClock(), settings: settings.scheduler,
            applicationsVersion: { try store.applicationsVersion() },
            applications: {
                try store.applications().map { .init(name: $0.name, interval: .seconds($0.syncPolicy.intervalSeconds)) }
            },
            work: { name, reason in await worker.run(name, reason: reason) })
        alertResponder = AlertResponder(
            policy: AlertRollbackPolicy(
                applicationLabel: settings.alertLabel, window: settings.rollbackWindow, settle: settings.alertSettle),
            firing: FiringAlerts(expiry: settings.alertExpiry), reconciler: reconciler, scheduler: scheduler,
            metrics: metrics, logger: logger)
        // Kept alerts are judged again often enough that a settle time is kept to within a quarter.
        let period = max(.milliseconds(250), min(settings.alertSettle / 4, .seconds(15)))
        self.services =
            services + [AlertWatch(responder: alertResponder, period: period), OpenFilesWatch(logger: logger)]
    }

    /// Runs until SIGTERM or SIGINT (or the task is cancelled).
    ///
    /// - Parameter onListening: called with `host:port` once the HTTP server accepts connections.
    public func run(onListening: @escaping @Sendable (String) async -> Void = { _ in }) async throws {
        let host = settings.host
        let connections = ConnectionGuard(
            limits: .init(
                maxConnections: settings.maxConnections, requestReadTimeout: TimeAmount(settings.requestReadTimeout)))
        let application = Application(
            router: router(),
            server: .http1(configuration: .init(additionalChannelHandlers: [connections.handler()])),
            configuration: .init(address: .hostname(host, port: settings.port), serverName: "keelson"),
            services: [scheduler] + services,
            onServerRunning: { channel in await onListening("\(host):\(channel.localAddress?.port ?? 0)") },
            logger: logger)
        try await application.runService()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in "ok\n" }
        router.add(middleware: ExhaustionMiddleware(health: health, home: reconciler.home, logger: logger))
        router.get("/readyz") { _, _ in
            if let problem = health.problem {
                return Response.text("not ready: fetches or writes fail\n\(problem)\n", status: .serviceUnavailable)
            }
            return await scheduler.firstRoundDone
                ? Response.text("ready\n")
                : Response.text("waiting for the first reconcile of every application\n", status: .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            metrics.update(try await stateSnapshot())
            return Response.text(metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.post("/api/webhook") { request, _ in try await webhook(request) }
        router.post("/api/alerts") { request, _ in
            try await authorized(
                request, by: settings.alertToken ?? settings.apiToken,
                off: "alerts are off: start keelson run with --alert-token-file or --api-token-file"
            ) {
                try await alerts(request)
            }
        }
        // Reads need the token too: applications name their repositories.
        router.get("/api/v1/applications") { request, _ in
            try await authorized(request, by: settings.apiToken) {
                let views = try store.applications().map { ApplicationView($0, status: try store.status(of: $0.name)) }
                return try Response.json(views)
            }
        }
        router.get("/api/v1/applications/:name") { request, context in
            try await authorized(request, by: settings.apiToken) {
                try Response.json(try view(context.parameters.require("name")))
            }
        }
        router.post("/api/v1/applications/:name/sync") { request, context in
            try await authorized(request, by: settings.apiToken) {
                let name = try context.parameters.require("name")
                var options = Reconciler.Options()
                options.initiator = .manual
                let report = try await scheduler.perform(name) { [options] in
                    let report = try await reconciler.reconcile(name, options: options)
                    return (report, report.outcome)
                }
                metrics.deployed(report, rollbackReason: "failed-rollout")
                return try Response.json(try view(name))
            }
        }
        router.post("/api/v1/applications/:name/rollback") { request, context in
            try await authorized(request, by: settings.apiToken) {
                let name = try context.parameters.require("name")
                var options = Reconciler.RollbackOptions()
                options.historyID = request.uri.queryParameters.get("id", as: Int.self)
                options.revertCommit = request.uri.queryParameters.get("revertCommit") == "true"
                let report = try await scheduler.perform(name) { [options] in
                    let report = try await reconciler.rollback(name, options: options)
                    return (report, report.outcome)
                }
                metrics.deployed(report, rollbackReason: "forced")
                return try Response.json(try view(name))
            }
        }
        return router
    }

    /// A push: answered at once with the applications it concerns, whose reconciles the scheduler
    /// then runs (coalesced with any already due).
    private func webhook(_ request: Request) async throws -> Response {
        let headers = Self.headers(request)
        let provider = PushEvent.Provider(WebhookHeaders(headers)).rawValue
        guard let body = try await Self.body(request) else {
            metrics.webhook(provider: provider, result: "too-large")
            throw HTTPError(.contentTooLarge, message: "webhook bodies are limited to \(maximumWebhookBodySize) bytes")
        }
        switch PushWebhookReceiver(secret: settings.webhookSecret?.value).receive(headers: headers, body: body) {
        case .push(let push):
            let match = PushMatch(push: push, applications: try store.applications(), sources: try store.sources())
            let names = match.reconcile.map(\.name)
            await scheduler.trigger(names, reason: .webhook)
            metrics.webhook(provider: provider, result: "accepted")
            // A push to a monorepo skips most of its applications: name a few, count the rest.
            let skipped = match.skipped.prefix(WebhookAnswer.skipsNamed).map {
                WebhookAnswer.Skip(application: $0.application.name, reason: $0.reason)
            }
            // The skips at debug level: a daemon fed a push a second would log kilobytes a push.
            logger.info(
                "push to \(push.revision) at \(push.commit.prefix(7)): reconciling \(names.isEmpty ? "nothing" : names.joined(separator: ", "))",
                metadata: ["provider": "\(provider)", "skipped_total": "\(match.skipped.count)"])
            logger.debug(
                "push to \(push.revision) at \(push.commit.prefix(7)) skips",
                metadata: ["skipped": "\(skipped.map { "\($0.application): \($0.reason)" })"])
            return try Response.json(
                WebhookAnswer(reconciling: names, skipped: skipped, skippedTotal: match.skipped.count),
                status: .accepted)
        case .ignored(let reason):
            metrics.webhook(provider: provider, result: "ignored")
            return try Response.json(WebhookAnswer(ignored: reason))
        case .unauthorized(let reason):
            metrics.webhook(provider: provider, result: "unauthorized")
            logger.warning("webhook refused: \(reason)", metadata: ["provider": "\(provider)"])
            throw HTTPError(.unauthorized, message: reason)
        case .badRequest(let reason):
            metrics.webhook(provider: provider, result: "bad-request")
            throw HTTPError(.badRequest, message: reason)
        case .payloadTooLarge(let limit):
            metrics.webhook(provider: provider, result: "too-large")
            throw HTTPError(.contentTooLarge, message: "webhook bodies are limited to \(limit) bytes")
        }
    }

    /// An Alertmanager notification, for the ``AlertResponder``; answered 503 when a rollback
    /// failed, so that Alertmanager sends it again.
    private func alerts(_ request: Request) async throws -> Response {
        guard let body = try await Self.body(request) else {
            throw HTTPError(.contentTooLarge, message: "alert bodies are limited to \(maximumWebhookBodySize) bytes")
        }
        let notification: AlertmanagerNotification
        do {
            notification = try AlertmanagerNotification(json: body)
        } catch {
            throw HTTPError(.badRequest, message: error.description)
        }
        let answers = try await alertResponder.receive(notification)
        return try Response.json(
            answers, status: answers.contains { $0.action == "failed" } ? .serviceUnavailable : .ok)
    }

    /// The request's headers by name (the first value of each).
    private static func headers(_ request: Request) -> [String: String] {
        Dictionary(request.headers.map { ($0.name.rawName, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The body, or nil when it is over ``maximumWebhookBodySize``.
    private static func body(_ request: Request) async throws -> Data? {
        do {
            let buffer = try await request.body.collect(upTo: maximumWebhookBodySize)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            return nil
        }
    }

    private func view(_ name: String) throws -> ApplicationView {
        do {
            return ApplicationView(try store.application(name), status: try store.status(of: name))
        } catch let error as ApplicationError {
            throw HTTPError(.notFound, message: error.description)
        }
    }

    /// Runs `body` when the request carries `token` as a bearer token, or as the password of
    /// basic auth; without a configured token the endpoint is off and answers 403 with `off`.
    private func authorized(
        _ request: Request, by token: Secret?,
        off: String = "the API is off: start keelson run with --api-token-file",
        _ body: () async throws -> Response
    ) async throws -> Response {
        guard let token else { throw HTTPError(.forbidden, message: off) }
        guard let given = request.headers[.authorization].flatMap(Self.credential),
            WebhookSignature.isValidToken(given, secret: token.value)
        else {
            throw HTTPError(
                .unauthorized, message: "a valid `Authorization: Bearer <token>` (or basic auth) is required")
        }
        do {
            return try await body()
        } catch let error as ApplicationError {
            throw HTTPError(.notFound, message: error.description)
        } catch let error as ReconcileError {
            throw HTTPError(.conflict, message: error.description)
        }
    }

    /// The token of `Authorization: Bearer <token>`, or the password of `Basic <base64 user:password>`.
    static func credential(_ header: String) -> String? {
        if header.hasPrefix("Bearer ") { return String(header.dropFirst(7)) }
        guard header.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(header.dropFirst(6))),
            let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":")
        else { return nil }
        return String(pair[pair.index(after: colon)...])
    }

    /// Every application's status and its live Deployments' replicas, for the metrics.
    private func stateSnapshot() async throws -> KeelsonMetrics.Snapshot {
        var snapshot = KeelsonMetrics.Snapshot()
        snapshot.diskUsage = StateDiskUsage.measure(home: reconciler.home)
        snapshot.exhausted = Set(health.current.keys)
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

/// What `POST /api/webhook` answers.
struct WebhookAnswer: Encodable {
    struct Skip: Encodable {
        let application: String
        let reason: String
    }

    /// At most this many skipped applications are named.
    static let skipsNamed = 20

    var reconciling: [String] = []
    /// The first ``skipsNamed`` applications of the pushed repository that the push leaves alone.
    var skipped: [Skip] = []
    /// How many it leaves alone in all.
    var skippedTotal = 0
    var ignored: String?
}
