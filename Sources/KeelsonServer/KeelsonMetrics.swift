import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonKubernetes
import Prometheus
import Synchronization

/// Keelson's Prometheus metrics, made with swift-prometheus' registry (the swift-metrics backend)
/// directly, because every family needs HELP text (`promtool check metrics` requires it) and
/// swift-metrics' API cannot carry it.
///
/// Counters and histograms are updated as things happen, and every counter of an application
/// exists from its first scrape at 0, so that `increase()` sees its first event. The state gauges
/// (0/1 per sync and health status, as kube-state-metrics does; the revision as an info series;
/// timestamps; replicas per Deployment) are refreshed before each scrape. Series of applications
/// and Deployments that went away are dropped.
public final class KeelsonMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// Counters and histograms by family and label values: the registry copies a family's series
    /// each time one is looked up by labels, which grows with the number of applications.
    private let counters = Mutex<[String: Counter]>([:])
    private let histograms = Mutex<[String: DurationHistogram]>([:])
    /// The state series registered, by id, with the label values they were made with.
    private let stateGauges = Mutex<[String: (gauge: Gauge, labels: [String])]>([:])
    /// When the daemon last saw each application reconciled, and found Synced: passes that change
    /// nothing write nothing to the store.
    private let lastSeen = Mutex<[String: (reconciled: Date, synced: Date?)]>([:])
    /// The applications whose series exist, to drop them when an application is removed.
    private let known = Mutex<Set<String>>([])

    private static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]

    // MARK: Families

    private static var reconcileDuration: MetricNameDescriptor {
        family(
            "reconcile_duration", "seconds",
            "Time one reconcile pass of an application took, waiting for its lock excluded.")
    }
    private static var lockWait: MetricNameDescriptor {
        family(
            "lock_wait", "seconds", "Time a pass waited for the application's lock, held by another pass or keelson.")
    }
    private static var syncs: MetricNameDescriptor {
        family("syncs", "total", "Desired states applied, by who started them.")
    }
    private static var rollbacks: MetricNameDescriptor {
        family("rollbacks", "total", "Rollbacks, by reason.")
    }
    private static var repacks: MetricNameDescriptor {
        family(
            "git_repacks", "total",
            "Mirror maintenance, by result: full (a repack into one pack), unpack (a small fetched pack into loose objects) or error."
        )
    }
    private static var gitRequests: MetricNameDescriptor {
        family(
            "git_requests", "total", "Requests to git remotes: ref listings (ls-remote), downloads (fetch) and pushes.")
    }
    private static var gitFetchDuration: MetricNameDescriptor {
        family(
            "git_fetch_duration", "seconds", "Time one fetch of a tracked revision took, ref listing included.")
    }
    private static var webhooks: MetricNameDescriptor {
        family("webhook_requests", "total", "Push webhook requests, by provider and result.")
    }
    private static var alerts: MetricNameDescriptor {
        family(
            "alerts", "total", "Alerts received from Alertmanager, by application and what Keelson did.")
    }

    /// The label values counters are made with at 0.
    private static let rollbackReasons = ["failed-rollout", "alert", "forced"]
    private static let alertActions = ["rollback", "ignored", "resolved", "failed"]
    private static let webhookResults = ["accepted", "ignored", "unauthorized", "bad-request", "too-large"]

    private static func family(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "keelson", metricName: name, unitName: unit, helpText: help)
    }

    public init() {
        registry.makeGauge(
            descriptor: Self.family("build", "info", "Keelson's version (value 1)."),
            labels: [("version", KeelsonVersion.current)]
        ).set(Double(1))
        for kind in GitRequestKind.allCases {
            for result in ["success", "error"] {
                _ = counter(Self.gitRequests, [("kind", kind.rawValue), ("result", result)])
            }
        }
        for result in ["full", "unpack", "error"] { _ = counter(Self.repacks, [("result", result)]) }
        for provider in PushEvent.Provider.allCases {
            for result in Self.webhookResults {
                _ = counter(Self.webhooks, [("provider", provider.rawValue), ("result", result)])
            }
        }
    }

    // MARK: Events

    /// One reconcile pass ended (`result`: `synced`, `out-of-sync`, `refused`, `error`, `busy`,
    /// `skipped`); `lockWait` of `duration` was spent waiting for the application's lock.
    public func reconciled(_ application: String, result: String, duration: Duration, lockWait: Duration) {
        histogram(Self.lockWait, [("application", application)]).record(lockWait)
        guard result != "busy" else { return }
        histogram(Self.reconcileDuration, [("application", application), ("result", result)])
            .record(duration - lockWait)
    }

    /// A pass found `status`: the time of the last reconcile (and of the last Synced one).
    public func observed(_ application: String, _ status: ApplicationStatus, at now: Date = Date()) {
        lastSeen.withLock { lastSeen in
            let synced = status.sync == .synced ? now : lastSeen[application]?.synced
            lastSeen[application] = (now, synced)
        }
    }

    /// The entries a pass started are counted as syncs; rollbacks among them with `rollbackReason`
    /// (`failed-rollout`, `alert`, `forced`).
    public func deployed(_ report: ReconcileReport, rollbackReason: String) {
        for entry in report.entries where report.startedIDs.contains(entry.id) {
            counter(Self.syncs, [("application", report.application), ("initiator", entry.initiator.rawValue)])
                .increment()
            if entry.initiator == .rollback || entry.initiator == .autoRollback {
                counter(Self.rollbacks, [("application", report.application), ("reason", rollbackReason)]).increment()
            }
        }
    }

    /// A request to a git remote ended.
    public func gitRequest(_ kind: GitRequestKind, succeeded: Bool) {
        counter(Self.gitRequests, [("kind", kind.rawValue), ("result", succeeded ? "success" : "error")]).increment()
    }

    /// A mirror's maintenance ended (``GitMirror/fetch(_:options:)``).
    public func mirrorMaintained(_ outcome: Result<RepackResult, any Error>) {
        let result =
            switch outcome {
            case .success(let result): result.full ? "full" : "unpack"
            case .failure: "error"
            }
        counter(Self.repacks, [("result", result)]).increment()
    }

    /// How long one fetch (ref listing plus any download) took.
    public func gitFetched(in duration: Duration) {
        histogram(Self.gitFetchDuration, []).record(duration)
    }

    /// A webhook request was answered (`result`: `accepted`, `ignored`, `unauthorized`, `bad-request`, `too-large`).
    public func webhook(provider: String, result: String) {
        counter(Self.webhooks, [("provider", provider), ("result", result)]).increment()
    }

    /// An alert decision (`action`: `rollback`, `ignored`, `resolved`, `failed`); `application` is
    /// nil for an alert that names none.
    public func alert(application: String?, action: String) {
        counter(Self.alerts, [("application", application ?? ""), ("action", action)]).increment()
    }

    // MARK: State

    /// The state of every application and its Deployments, as of now.
    public struct Snapshot: Sendable {
        public var applications: [(name: String, status: ApplicationStatus)] = []
        public var deployments: [(application: String, key: ObjectKey, rollout: RolloutStatus)] = []
        /// Bytes on disk of each part of Keelson's home (mirrors, each database).
        public var diskUsage: [(path: String, bytes: Double)] = []
        /// The resources that ran out and have not come back yet.
        public var exhausted: Set<ResourceExhaustion> = []

        public init() {}
    }

    /// Replaces the state gauges with `snapshot`'s, makes the counters of new applications at 0
    /// and drops every series of applications that are gone.
    public func update(_ snapshot: Snapshot) {
        let names = Set(snapshot.applications.map(\.name))
        let (added, gone) = known.withLock { known in
            defer { known = names }
            return (names.subtracting(known), known.subtracting(names))
        }
        dropSeries(of: gone)
        for name in added { makeCounters(of: name) }
        var fresh: [String: (name: String, labels: [(String, String)], help: String, value: Double)] = [:]
        let observed = lastSeen.withLock { $0 }
        for (name, status) in snapshot.applications {
            for (id, series) in Self.stateSeries(name, status, observed: observed[name]) {
                fresh["\(id)|\(name)"] = series
            }
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
        for resource in ResourceExhaustion.allCases {
            fresh["exhausted|\(resource.rawValue)"] = (
                "keelson_resource_exhausted", [("resource", resource.rawValue)],
                "1 while fetches or writes fail because open files or disk space ran out.",
                snapshot.exhausted.contains(resource) ? 1 : 0
            )
        }
        for (path, bytes) in snapshot.diskUsage {
            fresh["disk|\(path)"] = (
                "keelson_disk_usage_bytes", [("path", path)],
                "Bytes on disk of a part of Keelson's home: the git mirrors, each SQLite database with its WAL.", bytes
            )
        }
        stateGauges.withLock { gauges in
            for (id, registered) in gauges where fresh[id].map({ $0.labels.map(\.1) != registered.labels }) ?? true {
                registry.unregisterGauge(registered.gauge)
                gauges[id] = nil
            }
            for (id, series) in fresh {
                let gauge =
                    gauges[id]?.gauge
                    ?? registry.makeGauge(
                        descriptor: MetricNameDescriptor(metricName: series.name, unitName: "", helpText: series.help),
                        labels: series.labels)
                gauge.set(series.value)
                gauges[id] = (gauge, series.labels.map(\.1))
            }
        }
    }

    /// One application's state gauges, by id: a 0/1 series per sync and health status, the
    /// applied revision, pinned and suspended, and when it was last reconciled and found Synced.
    private static func stateSeries(
        _ name: String, _ status: ApplicationStatus, observed: (reconciled: Date, synced: Date?)?
    ) -> [String: (name: String, labels: [(String, String)], help: String, value: Double)] {
        let application = ("application", name)
        var series: [String: (name: String, labels: [(String, String)], help: String, value: Double)] = [:]
        for sync in SyncStatus.allCases {
            series["sync|\(sync.rawValue)"] = (
                "keelson_application_sync_status", [application, ("status", sync.rawValue)],
                "1 for the application's sync status, 0 for the others.", status.sync == sync ? 1 : 0
            )
        }
        for health in HealthStatus.allCases {
            series["health|\(health.rawValue)"] = (
                "keelson_application_health_status", [application, ("status", health.rawValue)],
                "1 for the application's health status, 0 for the others.", status.health == health ? 1 : 0
            )
        }
        if let commit = status.appliedCommit {
            series["revision"] = (
                "keelson_application_revision_info", [application, ("revision", String(commit.prefix(12)))],
                "The commit applied last (value 1).", 1
            )
        }
        series["pinned"] = (
            "keelson_application_pinned", [application],
            "1 while a rollback or sync --revision pins the application.", status.pin == nil ? 0 : 1
        )
        series["suspended"] = (
            "keelson_application_suspended", [application], "1 while scheduled reconciles skip the application.",
            status.suspended ? 1 : 0
        )
        let reconciled = [status.reconciledAt, observed?.reconciled].compactMap { $0 }.max()
        let synced = [status.syncedAt, observed?.synced].compactMap { $0 }.max()
        if let reconciled {
            series["reconciled"] = (
                "keelson_application_last_reconcile_timestamp_seconds", [application],
                "When the application was last reconciled (Unix time).", reconciled.timeIntervalSince1970
            )
        }
        if let synced {
            series["synced"] = (
                "keelson_application_last_synced_timestamp_seconds", [application],
                "When a reconcile last found the application Synced (Unix time).", synced.timeIntervalSince1970
            )
        }
        return series
    }

    /// The exposition in Prometheus' text format, process metrics included.
    public func exposition() -> String {
        registry.emitToString() + ProcessMetrics.current().exposition()
    }

    // MARK: Series

    private func makeCounters(of application: String) {
        for initiator in HistoryEntry.Initiator.allCases {
            _ = counter(Self.syncs, [("application", application), ("initiator", initiator.rawValue)])
        }
        for reason in Self.rollbackReasons {
            _ = counter(Self.rollbacks, [("application", application), ("reason", reason)])
        }
        for action in Self.alertActions {
            _ = counter(Self.alerts, [("application", application), ("action", action)])
        }
    }

    private func dropSeries(of applications: Set<String>) {
        guard !applications.isEmpty else { return }
        let isGone = { (key: String) in
            applications.contains { key.contains("|application=\($0)|") }
        }
        counters.withLock { counters in
            for (key, counter) in counters where isGone(key) {
                registry.unregisterCounter(counter)
                counters[key] = nil
            }
        }
        histograms.withLock { histograms in
            for (key, histogram) in histograms where isGone(key) {
                registry.unregisterDurationHistogram(histogram)
                histograms[key] = nil
            }
        }
        lastSeen.withLock { lastSeen in
            for name in applications { lastSeen[name] = nil }
        }
    }

    private static func key(_ family: MetricNameDescriptor, _ labels: [(String, String)]) -> String {
        family.name + "|" + labels.map { "\($0.0)=\($0.1)|" }.joined()
    }

    private func counter(_ family: MetricNameDescriptor, _ labels: [(String, String)]) -> Counter {
        counters.withLock { counters in
            let key = Self.key(family, labels)
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(descriptor: family, labels: labels)
            counters[key] = counter
            return counter
        }
    }

    private func histogram(_ family: MetricNameDescriptor, _ labels: [(String, String)]) -> DurationHistogram {
        histograms.withLock { histograms in
            let key = Self.key(family, labels)
            if let histogram = histograms[key] { return histogram }
            let histogram = registry.makeDurationHistogram(
                descriptor: family, labels: labels, buckets: Self.durationBuckets)
            histograms[key] = histogram
            return histogram
        }
    }
}
