import KeelsonGit
import KeelsonKubernetes

/// What one pass (reconcile, sync or rollback) found and did.
public struct ReconcileReport: Sendable {
    public let application: String
    /// The fetch of the tracked revision, and how long it took (ref listing included).
    public let fetch: (result: FetchResult, duration: Duration)?
    /// The desired state synced, when it got that far.
    public let desired: DesiredState?
    /// Desired set against live before anything was changed.
    public let comparison: LiveComparison?
    public let plan: SyncPlan?
    public let applied: [AppliedObject]
    public let pruned: [ObjectKey]
    /// History entries this pass added or finished.
    public let entries: [HistoryEntry]
    /// The ids of the entries this pass added (the others it finished).
    public let startedIDs: Set<Int>
    public let status: ApplicationStatus
    /// Things people should hear about: a pin released, a skipped pass, git unreachable during a rollback.
    public let notes: [String]
    /// How long the pass waited for the application's lock before it began.
    public let lockWait: Duration
    /// When the next pass should come, and why.
    public let outcome: ReconcileOutcome
}

/// The state of one pass while it runs.
struct ReconcilePass {
    var status: ApplicationStatus
    var entries: [HistoryEntry] = []
    var notes: [String] = []
    var desired: DesiredState?
    var comparison: LiveComparison?
    var plan: SyncPlan?
    var applied: [AppliedObject] = []
    var pruned: [ObjectKey] = []
    var startedIDs: Set<Int> = []
    var fetch: (result: FetchResult, duration: Duration)?
    var lockWait: Duration = .zero
    /// False for dry runs: nothing is saved.
    var recording = true
    /// Set to pin the application at whatever the next deploy applies.
    var pinAfterDeploy: (reason: String, branchCommit: String)?
    /// The pass did nothing because the application is suspended.
    var skippedAsSuspended = false

    init(status: ApplicationStatus) {
        self.status = status
    }

    /// Adds `entry`, or replaces the one with its id.
    mutating func put(_ entry: HistoryEntry) {
        if entry.id != 0, let index = entries.firstIndex(where: { $0.id == entry.id }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    func report(_ application: String) -> ReconcileReport {
        ReconcileReport(
            application: application, fetch: fetch, desired: desired, comparison: comparison, plan: plan,
            applied: applied,
            pruned: pruned, entries: entries, startedIDs: startedIDs, status: status, notes: notes, lockWait: lockWait,
            outcome: outcome)
    }

    private var outcome: ReconcileOutcome {
        if skippedAsSuspended { return .suspended }
        let progressing = entries.contains { $0.outcome == .running } || status.health == .progressing
        return progressing ? .requeueSoon : .settled
    }
}
