import Foundation
import KeelsonKubernetes

/// One deployment of an application: a revision applied, by whom, and how its rollout ended.
public struct HistoryEntry: Codable, Sendable, Hashable {
    /// Who started it.
    public enum Initiator: String, Codable, Sendable, CaseIterable {
        /// A reconcile (scheduled, webhook or `keelson reconcile`) found a new commit or drift.
        case auto
        /// `keelson sync`.
        case manual
        /// `keelson rollback`.
        case rollback
        /// A failed rollout, rolled back by Keelson.
        case autoRollback = "auto-rollback"
    }

    /// How it ended.
    public enum Outcome: String, Codable, Sendable {
        /// Applied; rollouts still going.
        case running = "Running"
        /// Every rollout completed.
        case succeeded = "Succeeded"
        /// Not applied (render, validation or apply error), or a rollout failed.
        case failed = "Failed"
        /// Live until a rollback replaced it.
        case rolledBack = "RolledBack"
    }

    /// Where one Deployment's rollout ended up.
    public struct Rollout: Codable, Sendable, Hashable {
        public var deployment: ObjectKey
        /// `deployment.kubernetes.io/revision` after the apply.
        public var revision: Int?

        public init(deployment: ObjectKey, revision: Int?) {
            self.deployment = deployment
            self.revision = revision
        }
    }

    /// Assigned by the store: 1, 2, 3… per application.
    public var id: Int
    /// The commit SHA whose desired state was applied.
    public var revision: String
    public var subject: String
    public var author: String
    /// The application's path at the time.
    public var path: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var initiator: Initiator
    public var outcome: Outcome
    public var rollouts: [Rollout]
    /// What was changed, as `kubectl apply` prints it (`deployment.apps/web configured`, `service/web pruned`).
    public var changes: [String]
    /// Why it failed or was rolled back; empty otherwise.
    public var message: String
    /// The entry that replaced this one before its rollouts completed (its outcome is then `Failed`).
    public var supersededBy: Int?

    public init(
        id: Int = 0, revision: String, subject: String, author: String, path: String, startedAt: Date,
        finishedAt: Date? = nil, initiator: Initiator, outcome: Outcome = .running, rollouts: [Rollout] = [],
        changes: [String] = [], message: String = ""
    ) {
        self.id = id
        self.revision = revision
        self.subject = subject
        self.author = author
        self.path = path
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.initiator = initiator
        self.outcome = outcome
        self.rollouts = rollouts
        self.changes = changes
        self.message = message
        self.supersededBy = nil
    }
}
