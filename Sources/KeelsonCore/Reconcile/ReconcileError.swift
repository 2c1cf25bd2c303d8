import KeelsonManifests

/// Why a reconcile, sync or rollback did not happen, with what to do next.
public enum ReconcileError: Error, Sendable, CustomStringConvertible {
    /// Another process holds the application.
    case locked(String, holder: String)
    /// The manifests at the commit are invalid; nothing was applied.
    case renderFailed(String, commit: String, RenderFailure)
    case historyEntryNotFound(String, id: Int)
    /// No earlier successful entry to roll back to.
    case nothingToRollBackTo(String)
    /// `--revert-commit` needs a branch to commit to.
    case notABranch(String, revision: String)
    /// The driver named in the destination is not known.
    case unknownDriver(String)
    /// `--revert-commit` would rewrite paths other applications of the repository read too.
    case revertSharedPaths(String, shared: [(path: String, applications: [String])])

    public var description: String {
        switch self {
        case .locked(let name, let holder):
            "application \"\(name)\" is being reconciled by another keelson: \(holder.isEmpty ? "unknown" : holder); "
                + "try again when it is done"
        case .renderFailed(let name, let commit, let failure):
            "application \"\(name)\" at \(commit.prefix(7)): nothing was applied\n\(failure)"
        case .historyEntryNotFound(let name, let id):
            "application \"\(name)\" has no history entry \(id); see `keelson history \(name)`"
        case .nothingToRollBackTo(let name):
            "application \"\(name)\" has no earlier successful deployment to roll back to; "
                + "see `keelson history \(name)` and name an entry"
        case .notABranch(let name, let revision):
            "application \"\(name)\" tracks \"\(revision)\", which is not a branch: --revert-commit needs a "
                + "branch to commit to"
        case .unknownDriver(let driver): "no target driver \"\(driver)\"; the only one so far is \"simulated\""
        case .revertSharedPaths(let name, let shared):
            "application \"\(name)\": --revert-commit would write back "
                + shared.map { "\($0.path) (also read by \($0.applications.joined(separator: ", ")))" }
                .joined(separator: "; ")
                + ", and so roll those applications back too; nothing was committed. Roll back with "
                + "`keelson rollback \(name)` (a pin, git untouched), or revert the commit in git yourself"
        }
    }
}
