import ArgumentParser
import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonServer
import KeelsonSimulator
import Logging
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run Keelson as a daemon: reconcile on a schedule, on push webhooks and on alerts.",
        discussion: """
            Serves /api/webhook, /api/alerts, /metrics, /healthz, /readyz and /api/v1/applications on --listen, \
            and runs the simulated cluster's clock in real time (times --sim-speed). SIGTERM or SIGINT stops it \
            gracefully. Settings come from flags, then KEELSON_* environment variables, then <home>/keelson.yaml \
            (or --config); see docs/operations.md.
            """)

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .long, help: "Address to serve on (host:port; port 0 picks a free one). Default 127.0.0.1:9420.")
    var listen: String?
    @Option(name: .long, help: "Reconcile every application this often, whatever its own interval.")
    var interval: TimeLimit?
    @Option(name: .long, help: "Reconciles running at once (default 4).") var concurrency: Int?
    @Option(name: .long, help: "Simulated seconds per real second on the simulated cluster (default 1).")
    var simSpeed: Double?
    @Option(name: .long, help: "File holding the push webhooks' secret (else $KEELSON_WEBHOOK_SECRET).")
    var webhookSecretFile: String?
    @Option(name: .long, help: "File holding the API's bearer token (else $KEELSON_API_TOKEN).")
    var apiTokenFile: String?
    @Option(
        name: .long,
        help: "File holding the token Alertmanager sends (else $KEELSON_ALERT_TOKEN; default: the API token).")
    var alertTokenFile: String?
    @Option(name: .long, help: "Open HTTP connections at most (default 512).") var maxConnections: Int?
    @Option(name: .long, help: "Alert label naming the application to roll back (default keelson_app).")
    var alertLabel: String?
    @Option(name: .long, help: "Alerts roll back deployments younger than this (default 15m).")
    var rollbackWindow: TimeLimit?
    @Option(
        name: .long,
        help:
            "An alert firing since before a deployment is blamed on it when it still fires this long after (default 6m)."
    )
    var alertSettle: TimeLimit?
    @Option(name: .long, help: "Forget firing alerts Alertmanager has not repeated for this long (default 4h10m).")
    var alertExpiry: TimeLimit?
    @Option(name: .long, help: "text (default) or json.") var logFormat: LogFormat?
    @Option(name: .long, help: "Settings file (default: <home>/keelson.yaml when it exists).") var config: String?
    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            let settings = try resolve()
            Self.unblockStopSignals()
            LoggingSystem.bootstrap { label in
                switch settings.logFormat {
                case .json: JSONLogHandler(label: label)
                case .text: StreamLogHandler.standardError(label: label)
                }
            }
            let logger = Logger(label: "keelson")
            let lock = try DaemonLock.acquire(
                home: home.folder,
                info: DaemonInfo(
                    listenAddress: "\(settings.daemon.host):\(settings.daemon.port)", simulationSpeed: settings.simSpeed
                ))
            defer { withExtendedLifetime(lock) {} }
            // A daemon runs for months: its repacks' memory leaves with a child process.
            PackWriter.current = .childProcess(executable: try Executable.path())
            let metrics = KeelsonMetrics()
            let workspace = try Workspace(home) { network in
                network.requests = { kind, succeeded in metrics.gitRequest(kind, succeeded: succeeded) }
                network.maintenance = { remote, outcome in
                    metrics.mirrorMaintained(outcome)
                    if case .failure(let error) = outcome {
                        logger.error(
                            "the mirror of \(remote) could not be unpacked or repacked; it stays as it was: \(error)")
                    }
                }
                network.staleLocksRemoved = { remote, files in
                    let names = files.joined(separator: ", ")
                    logger.warning(
                        "removed \(names) from the mirror of \(remote): left by a keelson process killed while it wrote there"
                    )
                }
            }
            let cluster = try workspace.simulatedCluster()
            let daemon = Daemon(
                settings: settings.daemon, reconciler: workspace.reconciler, drivers: workspace.driver,
                metrics: metrics,
                services: [
                    SimulatedClockService(cluster: cluster, speed: settings.simSpeed),
                    StateMaintenance(
                        databases: [
                            .init(file: "keelson.sqlite") { try workspace.store.compact() },
                            .init(file: "cluster.sqlite") { try await cluster.compact() },
                        ], logger: logger),
                ],
                logger: logger)
            try await daemon.run { address in
                print("keelson \(KeelsonVersion.current) listening on http://\(address)")
                fflush(nil)
            }
            logger.info("stopped")
        }
    }

    /// The settings in force: flags, then environment, then the file, then defaults.
    private func resolve() throws -> (daemon: Daemon.Settings, simSpeed: Double, logFormat: LogFormat) {
        let environment = ProcessInfo.processInfo.environment
        let defaultFile = (home.folder as NSString).appendingPathComponent("keelson.yaml")
        let path = config ?? (FileManager.default.fileExists(atPath: defaultFile) ? defaultFile : nil)
        let file = try path.map(DaemonConfiguration.load) ?? DaemonConfiguration()
        var settings = Daemon.Settings()
        let address = listen ?? environment["KEELSON_LISTEN"] ?? file.listen ?? "127.0.0.1:9420"
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw ValidationError("listen: expected host:port, found \"\(address)\"") }
        settings.host = String(address[..<colon])
        settings.port = port
        settings.scheduler.interval = try (interval ?? duration("interval", file.interval))?.duration
        settings.scheduler.concurrency = concurrency ?? file.concurrency ?? settings.scheduler.concurrency
        guard settings.scheduler.concurrency > 0 else { throw ValidationError("concurrency: expected at least 1") }
        settings.webhookSecret = try secret(
            webhookSecretFile ?? file.webhookSecretFile, environment["KEELSON_WEBHOOK_SECRET"], "webhook secret")
        settings.apiToken = try secret(apiTokenFile ?? file.apiTokenFile, environment["KEELSON_API_TOKEN"], "API token")
        settings.alertToken = try secret(
            alertTokenFile ?? file.alertTokenFile, environment["KEELSON_ALERT_TOKEN"], "alert token")
        settings.alertLabel = alertLabel ?? file.alertLabel ?? settings.alertLabel
        settings.maxConnections = maxConnections ?? file.maxConnections ?? settings.maxConnections
        guard settings.maxConnections > 0 else { throw ValidationError("max-connections: expected at least 1") }
        if let window = try rollbackWindow ?? duration("rollbackWindow", file.rollbackWindow) {
            settings.rollbackWindow = window.duration
        }
        if let settle = try alertSettle ?? duration("alertSettle", file.alertSettle) {
            settings.alertSettle = settle.duration
        }
        guard settings.alertSettle < settings.rollbackWindow else {
            throw ValidationError(
                "alert-settle (\(settings.alertSettle)) must be shorter than rollback-window "
                    + "(\(settings.rollbackWindow)), or no alert would ever be blamed on a later deployment")
        }
        if let expiry = try alertExpiry ?? duration("alertExpiry", file.alertExpiry) {
            settings.alertExpiry = expiry.duration
        }
        let speed = simSpeed ?? file.simSpeed ?? 1
        guard speed > 0 else { throw ValidationError("sim-speed: expected a positive number, found \(speed)") }
        // Rollouts in progress are looked at every 5 simulated seconds (at least 100 ms apart).
        settings.scheduler.progressInterval = max(.milliseconds(100), .seconds(5) / speed)
        let format =
            try logFormat
            ?? file.logFormat.map {
                guard let format = LogFormat(rawValue: $0) else {
                    throw ValidationError("logFormat: expected text or json, found \"\($0)\"")
                }
                return format
            } ?? .text
        return (settings, speed, format)
    }

    private func duration(_ key: String, _ text: String?) throws -> TimeLimit? {
        guard let text else { return nil }
        guard let limit = TimeLimit(argument: text) else {
            throw ValidationError("\(key): expected a duration such as 90s, 5m or 1h, found \"\(text)\"")
        }
        return limit
    }

    /// A secret from a file (trailing newline dropped) or else the environment.
    private func secret(_ file: String?, _ environment: String?, _ what: String) throws -> Secret? {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("the \(what) file \(file) cannot be read")
            }
            let value = text.trimmingCharacters(in: .newlines)
            guard !value.isEmpty else { throw ValidationError("the \(what) file \(file) is empty") }
            return Secret(value)
        }
        return environment.flatMap { $0.isEmpty ? nil : Secret($0) }
    }

    /// A parent may start us with SIGTERM and SIGINT blocked (test runners, some supervisors); the
    /// graceful stop needs them delivered.
    private static func unblockStopSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}

/// The simulated cluster's controllers on the real clock while the daemon runs.
struct SimulatedClockService: Service {
    let cluster: SimulatedCluster
    let speed: Double

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await cluster.runClock(speed: speed) }
    }
}
