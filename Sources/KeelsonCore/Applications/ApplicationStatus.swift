import Foundation
import KeelsonKubernetes

/// Whether live state matches what git (or a pin) says should run.
public enum SyncStatus: String, Codable, Sendable, CaseIterable {
    case synced = "Synced"
    case outOfSync = "OutOfSync"
    /// The desired state could not be worked out (fetch or render failed), or was never compared.
    case unknown = "Unknown"
}

/// How the running objects are doing, worst first when ordered by ``severity``.
public enum HealthStatus: String, Codable, Sendable, CaseIterable {
    case healthy = "Healthy"
    /// Present, but no rule says how it is doing (a kind Keelson does not assess): not Healthy.
    case notAssessed = "NotAssessed"
    case suspended = "Suspended"
    case progressing = "Progressing"
    case missing = "Missing"
    case degraded = "Degraded"
    case unknown = "Unknown"

    /// Higher is worse; an application is as healthy as its worst object.
    public var severity: Int { Self.allCases.firstIndex(of: self)! }

    /// The worst of `statuses`, `healthy` when there are none.
    public static func worst(_ statuses: [HealthStatus]) -> HealthStatus {
        statuses.max { $0.severity < $1.severity } ?? .healthy
    }
}

/// Something about an application people should know, such as a render error with its file and line.
public struct StatusCondition: Codable, Sendable, Hashable {
    /// `FetchError`, `RenderError`, `ApplyError`, `TargetBusy`, `Drift`, `Pinned`, `RolloutFailed`, `PruneRefused`,
    /// `PruneSkipped`, `HealthNotAssessed`.
    public var type: String
    public var message: String

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }
}

/// One object of the application as last compared.
public struct ResourceStatus: Codable, Sendable, Hashable {
    public var key: ObjectKey
    public var sync: SyncStatus
    public var health: HealthStatus
    /// Why it is out of sync or unhealthy; empty when all is well.
    public var message: String

    public init(key: ObjectKey, sync: SyncStatus, health: HealthStatus, message: String = "") {
        self.key = key
        self.sync = sync
        self.health = health
        self.message = message
    }
}

/// A hold on an application at a revision other than where its branch points, set by a rollback.
/// Reconciles keep the pinned revision until the application's path changes on the branch (a new
/// commit for it) or someone resumes the application.
public struct Pin: Codable, Sendable, Hashable {
    /// The commit whose desired state is held.
    public var commit: String
    /// The history entry that applied it.
    public var historyID: Int
    /// `rollback`, `auto-rollback` or `sync --revision`.
    public var reason: String
    /// Where the tracked revision pointed when the pin was set.
    public var branchCommit: String
    public var since: Date

    public init(commit: String, historyID: Int, reason: String, branchCommit: String, since: Date) {
        self.commit = commit
        self.historyID = historyID
        self.reason = reason
        self.branchCommit = branchCommit
        self.since = since
    }
}

/// Where an application stands: the outcome of its last reconcile, kept in `keelson.sqlite`.
public struct ApplicationStatus: Codable, Sendable, Hashable {
    public var sync: SyncStatus = .unknown
    public var health: HealthStatus = .unknown
    /// One line for people: what the last reconcile found.
    public var message = "never reconciled"
    public var conditions: [StatusCondition] = []
    public var resources: [ResourceStatus] = []
    /// Where the tracked revision pointed at the last reconcile.
    public var branchCommit: String?
    /// The commit whose desired state was applied last (what should be live).
    public var appliedCommit: String?
    /// The history entry that applied it.
    public var currentHistoryID: Int?
    /// That entry's outcome as of this status (`Running` while its rollouts go on).
    public var currentOutcome: HistoryEntry.Outcome?
    public var pin: Pin?
    /// What the last render read: the application's path, kustomize bases and generator files.
    /// A commit is new for the application when it changes one of them.
    public var sources: [String]?
    /// Scheduled reconciles skip the application (a person asked so).
    public var suspended = false
    public var reconciledAt: Date?
    /// The last pass that found the application `Synced`.
    public var syncedAt: Date?

    public init() {}
}
