import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonKubernetes

/// How reconcile, sync and rollback results read, for people and for `-o json`.
enum ReportOutput {
    /// Lines for one pass: the commit, what changed, how the rollouts ended, where the app stands.
    static func lines(_ report: ReconcileReport) -> [String] {
        var lines: [String] = []
        let status = report.status
        if let desired = report.desired {
            lines.append(
                "\(Style.bold(report.application)): \(desired.changedIn.id.short) \"\(desired.changedIn.subject)\"")
        } else {
            lines.append(Style.bold(report.application))
        }
        for note in report.notes { lines.append("  \(note)") }
        for entry in report.entries {
            lines.append(
                "  #\(entry.id) \(entry.initiator.rawValue) \(entry.revision.prefix(7)) \(Style.outcome(entry.outcome))"
                    + rollouts(entry) + (entry.message.isEmpty ? "" : ": \(entry.message)"))
            if report.startedIDs.contains(entry.id) { lines += entry.changes.map { "      \($0)" } }
        }
        if report.desired != nil, report.entries.isEmpty, report.notes.isEmpty {
            lines.append("  nothing to apply")
        }
        if report.status.reconciledAt != nil {
            lines.append("  \(Style.sync(status.sync)), \(Style.health(status.health)): \(status.message)")
        }
        return lines
    }

    /// ` (web revision 3, api revision 2)`, or nothing.
    static func rollouts(_ entry: HistoryEntry) -> String {
        let parts = entry.rollouts.map { "\($0.deployment.name)\($0.revision.map { " revision \($0)" } ?? "")" }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
    }

    /// What `sync --dry-run` would do.
    static func plan(_ report: ReconcileReport) -> [String] {
        guard let plan = report.plan, let comparison = report.comparison else { return lines(report) }
        var lines = [
            "\(Style.bold(report.application)): would sync \(report.desired.map { "\($0.changedIn.id.short) \"\($0.changedIn.subject)\"" } ?? "")"
        ]
        lines += report.notes.map { "  \($0)" }
        let applied = Set(plan.apply.map(\.contentHash))
        for entry in comparison.entries where entry.desired.map({ applied.contains($0.contentHash) }) ?? false {
            lines.append("  \(entry.state == .missing ? "create" : "update") \(entry.key)")
        }
        lines += plan.prune.map { "  prune  \($0)" }
        lines += plan.kept.map { "  keep   \($0) (no longer in git)" }
        if let refusal = plan.pruneRefusal { lines.append("  \(refusal)") }
        if plan.isEmpty { lines.append("  nothing to apply") }
        return lines
    }

    /// JSON with sorted keys and ISO 8601 dates, as scripts want it.
    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try ApplicationView.json(value), as: UTF8.self)
    }

    /// Whether `--wait` ended with rollouts still running; says so on stderr when it did.
    static func outlastedWait(_ report: ReconcileReport, wait: Duration?) -> Bool {
        guard let wait, report.entries.contains(where: { $0.outcome == .running }) else { return false }
        printError(
            "error: \(report.application): rollouts still running after \(Narration.duration(wait)); "
                + "see `keelson rollout status \(report.application)`")
        return true
    }

    /// Whether the pass ended badly for CI: a rollout failed (even if it was rolled back).
    static func failed(_ report: ReconcileReport) -> Bool {
        report.entries.contains { $0.outcome == .failed && $0.supersededBy == nil } || report.status.health == .degraded
    }
}
