import Foundation
import KeelsonGit
import KeelsonKubernetes
import KeelsonManifests

extension Reconciler {
    /// Sets the status from live state after the pass: per-object sync and health, the worst
    /// health, why it is out of sync (pin, drift, manual policy, objects kept), and a failed rollout.
    func describe(
        _ app: Application, driver: any TargetDriver, appliesNow: Bool, pruneRefusal: String?,
        _ pass: inout ReconcilePass
    ) async throws {
        guard let desired = pass.desired else { return }
        let comparison = LiveComparison(
            desired: desired.manifests.objects, live: try await driver.liveObjects(of: app.name),
            namespace: app.destination.namespace)
        var status = pass.status
        status.resources = comparison.entries.map(Self.resourceStatus)
        status.health = HealthStatus.worst(status.resources.map(\.health))
        var conditions: [StatusCondition] = []
        if let pin = status.pin, pin.commit != status.branchCommit {
            conditions.append(
                StatusCondition(
                    type: "Pinned",
                    message: "pinned to \(pin.commit.prefix(7)) by \(pin.reason); branch is at "
                        + "\((status.branchCommit ?? "?").prefix(7)) (keelson resume \(app.name) to follow it)"))
        }
        if let current = try currentEntry(app.name, pass), current.outcome == .failed,
            current.message.hasPrefix("rollout failed")
        {
            conditions.append(StatusCondition(type: "RolloutFailed", message: current.message))
        }
        let drift = comparison.entries.filter { $0.state == .drifted }
        for entry in drift {
            conditions.append(
                StatusCondition(
                    type: "Drift",
                    message: "\(entry.key): "
                        + entry.differences.map(\.description).joined(separator: "; ")
                        + (app.syncPolicy.selfHeal ? "" : " (self-heal is off)")))
        }
        let pending = comparison.entries.filter { $0.state == .changed || $0.state == .missing }
        if !pending.isEmpty, !appliesNow {
            conditions.append(
                StatusCondition(
                    type: "OutOfSync",
                    message:
                        "\(Plural.count(pending.count, "object")) \(pending.count == 1 ? "differs" : "differ") from git; "
                        + "automated sync is off: keelson sync \(app.name)"))
        }
        if let pruneRefusal { conditions.append(StatusCondition(type: "PruneRefused", message: pruneRefusal)) }
        let notAssessed = status.resources.filter { $0.health == .notAssessed }
        let unassessed =
            notAssessed.isEmpty
            ? nil
            : StatusCondition(
                type: "HealthNotAssessed",
                message: "health not assessed for "
                    + notAssessed.map { "\($0.key.kind.lowercased())/\($0.key.name)" }.joined(separator: ", ")
                    + ": Keelson applies them as given but has no rule to judge their kind")
        let extra = comparison.entries.filter { $0.state == .extra }
        if !extra.isEmpty, pruneRefusal == nil {
            conditions.append(
                StatusCondition(
                    type: "PruneSkipped",
                    message: "\(extra.count) live object\(extra.count == 1 ? " is" : "s are") no longer in git "
                        + "and kept (prune is off): " + extra.map(\.key.description).joined(separator: ", ")))
        }
        let pinned = conditions.contains { $0.type == "Pinned" }
        status.sync = comparison.isSynced && !pinned ? .synced : .outOfSync
        status.message =
            conditions.first?.message
            ?? "live matches \(desired.changedIn.id.short) \"\(desired.changedIn.subject)\""
            + (unassessed.map { "; " + $0.message } ?? "")
        status.conditions = conditions + (unassessed.map { [$0] } ?? [])
        pass.status = status
    }

    static func resourceStatus(_ entry: LiveComparison.Entry) -> ResourceStatus {
        var health = HealthStatus.missing
        var healthReason: String?
        if let live = entry.live, entry.state != .missing {
            if let rollout = live.rollout {
                health = RolloutVerdict.health(rollout)
                healthReason = RolloutVerdict.failure(rollout)
            } else {
                (health, healthReason) = HealthRule.health(of: entry.key, live: live.body)
            }
        }
        let message: String
        switch entry.state {
        case .synced: message = healthReason ?? ""
        case .missing: message = "in git, not live"
        case .changed: message = "git changed since it was applied"
        case .drifted: message = entry.differences.map(\.description).joined(separator: "; ")
        case .extra: message = "live, no longer in git"
        }
        return ResourceStatus(
            key: entry.key, sync: entry.state == .synced ? .synced : .outOfSync, health: health,
            message: message)
    }
}
