import KeelsonCore
import KeelsonManifests
import Prometheus
import Synchronization

/// Keelson's Prometheus metrics, made with swift-prometheus' registry (the swift-metrics backend)
/// directly, because every family needs HELP text (`promtool check metrics` requires it) and
/// swift-metrics' API cannot carry it.
///
/// Counters and histograms are updated as things happen; the state gauges (one info series per
/// application, replicas per Deployment) are refreshed before each scrape, and series of objects
/// that went away are dropped.
public final class KeelsonMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// The state series registered, by id, with the label values they were made with.
    private let stateGauges = Mutex<[String: (gauge: Gauge, labels: [String])]>([:])
    /// Reconcile-duration series by `application|result`: the registry copies a family's series
    /// each time one is looked up by labels, which grows with the number of applications.
    private let reconcileDurations = Mutex<[String: DurationHistogram]>([:])

    private static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]

    public init() {}

    /// One reconcile pass ended (`result`: `synced`, `out-of-sync`, `refused`, `error`, `skipped`).
    public func reconciled(_ application: String, result: String, duration: Duration) {
        let histogram = reconcileDurations.withLock { series in
            let key = application + "|" + result
            if let histogram = series[key] { return histogram }
            let histogram = registry.makeDurationHistogram(
                name: "keelson_reconcile_duration_seconds", labels: [("application", application), ("result", result)],
                buckets: Self.durationBuckets, help: "Time one reconcile pass of an application took.")
            series[key] = histogram
            return histogram
        }
        histogram.record(duration)
    }

    /// A desired state was applied (a history entry started).
    public func synced(_ application: String, initiator: HistoryEntry.Initiator) {
        registry.makeCounter(
            name: "keelson_syncs_total", labels: [("application", application), ("initiator", initiator.rawValue)],
            help: "Desired states applied, by who started them."
        ).increment()
    }

    /// An application was rolled back (`reason`: `forced`, `failed-rollout`, `alert`).
    public func rolledBack(_ application: String, reason: String) {
        registry.makeCounter(
            name: "keelson_rollbacks_total", labels: [("application", application), ("reason", reason)],
            help: "Rollbacks, by reason."
        ).increment()
    }

    /// A request to a git remote (`kind`: `ls-remote` or `fetch`; `result`: `success` or `error`).
    public func gitRequest(kind: String, result: String) {
        registry.makeCounter(
            name: "keelson_git_requests_total", labels: [("kind", kind), ("result", result)],
            help: "Requests to git remotes: ref listings (ls-remote) and object downloads (fetch)."
        ).increment()
    }

    /// How long one fetch (ref listing plus any download) took.
    public func gitFetched(in duration: Duration) {
        registry.makeDurationHistogram(
            name: "keelson_git_fetch_duration_seconds", labels: [], buckets: Self.durationBuckets,
            help: "Time one fetch of a tracked revision took, ref listing included."
        ).record(duration)
    }

    /// A webhook request was answered (`result`: `accepted`, `ignored`, `unauthorized`, `bad-request`, `too-large`).
    public func webhook(provider: String, result: String) {
        registry.makeCounter(
            name: "keelson_webhook_requests_total", labels: [("provider", provider), ("result", result)],
            help: "Push webhook requests, by provider and result."
        ).increment()
    }

    /// An alert notification was handled (`action`: `rollback`, `ignored`, `resolved`).
    public func alert(action: String) {
        registry.makeCounter(
            name: "keelson_alerts_total", labels: [("action", action)],
            help: "Alerts received from Alertmanager, by what Keelson did."
        ).increment()
    }

    /// The state of every application and its Deployments, as of now.
    public struct Snapshot: Sendable {
        public var applications: [(name: String, status: ApplicationStatus)] = []
        public var deployments: [(application: String, key: ObjectKey, rollout: RolloutStatus)] = []

        public init() {}
    }

    /// Replaces the state gauges with `snapshot`'s.
    public func update(_ snapshot: Snapshot) {
        var fresh: [String: (name: String, labels: [(String, String)], help: String, value: Double)] = [:]
        for (name, status) in snapshot.applications {
            let labels = [
                ("application", name), ("sync_status", status.sync.rawValue), ("health_status", status.health.rawValue),
                ("revision", String((status.appliedCommit ?? "").prefix(12))),
            ]
            fresh["info|" + name] = (
                "keelson_application_info", labels,
                "Each application's sync status, health status and applied revision (value 1).", 1
            )
        }
        for (application, key, rollout) in snapshot.deployments {
            let labels = [("application", application), ("namespace", key.namespace ?? ""), ("deployment", key.name)]
            let id = "\(application)|\(key.namespace ?? "")|\(key.name)"
            let replicas: [(String, String, Int)] = [
                ("desired", "Replicas a Deployment asks for.", rollout.desired),
                ("updated", "Replicas of a Deployment running its current template.", rollout.updated),
                ("ready", "Ready replicas of a Deployment.", rollout.ready),
                ("available", "Available replicas of a Deployment.", rollout.available),
            ]
            for (kind, help, value) in replicas {
                fresh["\(kind)|\(id)"] = ("keelson_deployment_\(kind)_replicas", labels, help, Double(value))
            }
        }
        stateGauges.withLock { gauges in
            for (id, registered) in gauges where fresh[id].map({ $0.labels.map(\.1) != registered.labels }) ?? true {
                registry.unregisterGauge(registered.gauge)
                gauges[id] = nil
            }
            for (id, series) in fresh {
                let gauge =
                    gauges[id]?.gauge
                    ?? registry.makeGauge(name: series.name, labels: series.labels, help: series.help)
                gauge.set(series.value)
                gauges[id] = (gauge, series.labels.map(\.1))
            }
        }
    }

    /// The exposition in Prometheus' text format.
    public func exposition() -> String {
        registry.emitToString()
    }
}
