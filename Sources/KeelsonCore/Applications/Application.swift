import Foundation
import KeelsonGit
import KeelsonKubernetes

/// A named unit of deployment: one repository, one path, one tracked revision, one destination.
public struct Application: Codable, Sendable, Hashable {
    /// Where the application runs.
    public struct Destination: Codable, Sendable, Hashable {
        /// The target driver; `simulated` is the only one so far.
        public var driver: String
        /// The namespace for objects that name none.
        public var namespace: String

        public init(driver: String = "simulated", namespace: String = "default") {
            self.driver = driver
            self.namespace = namespace
        }
    }

    /// How and when Keelson syncs the application.
    public struct SyncPolicy: Codable, Sendable, Hashable {
        /// Apply new commits without being asked.
        public var automated: Bool
        /// Undo changes made to live objects behind Keelson's back.
        public var selfHeal: Bool
        /// Delete live objects that were removed from git.
        public var prune: Bool
        /// Roll back to the last good revision when a rollout fails.
        public var autoRollback: Bool
        /// Seconds between scheduled reconciles.
        public var intervalSeconds: Int
        /// A path that renders no objects is valid (Argo CD's `allowEmpty`); otherwise it is an
        /// error, and nothing is applied or pruned.
        public var allowEmpty: Bool

        public init(
            automated: Bool = true, selfHeal: Bool = false, prune: Bool = false, autoRollback: Bool = true,
            intervalSeconds: Int = 60, allowEmpty: Bool = false
        ) {
            self.automated = automated
            self.selfHeal = selfHeal
            self.prune = prune
            self.autoRollback = autoRollback
            self.intervalSeconds = intervalSeconds
            self.allowEmpty = allowEmpty
        }

        private enum CodingKeys: String, CodingKey {
            case automated, selfHeal, prune, autoRollback, intervalSeconds, allowEmpty
        }

        /// Stores written before `allowEmpty` existed read as not allowing empty.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            automated = try container.decode(Bool.self, forKey: .automated)
            selfHeal = try container.decode(Bool.self, forKey: .selfHeal)
            prune = try container.decode(Bool.self, forKey: .prune)
            autoRollback = try container.decode(Bool.self, forKey: .autoRollback)
            intervalSeconds = try container.decode(Int.self, forKey: .intervalSeconds)
            allowEmpty = try container.decodeIfPresent(Bool.self, forKey: .allowEmpty) ?? false
        }
    }

    public var name: String
    /// The repository address as given (https, ssh, scp-like, file:// or a path).
    public var repository: String
    /// Branch, tag or commit SHA.
    public var revision: String
    /// Folder (or file) inside the repository.
    public var path: String
    public var destination: Destination
    public var syncPolicy: SyncPolicy
    /// How many history entries are kept (Argo CD's `revisionHistoryLimit`); nil for
    /// ``defaultHistoryLimit``. The live entry, the pinned one and the one a rollback would
    /// return to are kept beyond it.
    public var historyLimit: Int?

    /// History entries kept when the application sets no limit: five times Argo CD's 10, because
    /// Keelson's history holds failed attempts and rollbacks too, not only successful syncs.
    public static let defaultHistoryLimit = 50

    public init(
        name: String, repository: String, revision: String = "main", path: String,
        destination: Destination = Destination(), syncPolicy: SyncPolicy = SyncPolicy(), historyLimit: Int? = nil
    ) {
        self.name = name
        self.repository = repository
        self.revision = revision
        self.path = path
        self.destination = destination
        self.syncPolicy = syncPolicy
        self.historyLimit = historyLimit
    }

    /// The repository address as it may be shown: a password or token in it (stored by builds
    /// that accepted one) replaced by `***`.
    public var shownRepository: String { (try? RemoteURL(repository))?.description ?? repository }

    /// The application as it may be shown: its repository as ``shownRepository``.
    public var redacted: Application {
        var redacted = self
        redacted.repository = shownRepository
        return redacted
    }

    /// Every problem with this application's settings, each naming the field; empty when valid.
    public var problems: [String] {
        var problems: [String] = []
        if let problem = NameRules.labelProblem(name) { problems.append("name: \(problem)") }
        do {
            let url = try RemoteURL(repository)
            if url.hasEmbeddedSecret {
                problems.append(
                    "repository: \(url) carries a password or token, which Keelson would keep and show in clear; "
                        + "give the address without it, and the token with KEELSON_GIT_TOKEN or "
                        + "KEELSON_GIT_TOKEN_FILE (docs/git.md)")
            }
        } catch {
            problems.append("repository: \(error)")
        }
        if revision.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("revision: expected a branch, tag or SHA")
        }
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            problems.append("path: expected a path inside the repository, found \"\(path)\"")
        }
        if let problem = NameRules.labelProblem(destination.namespace) { problems.append("namespace: \(problem)") }
        if destination.driver != "simulated" {
            problems.append(
                "destination: expected the driver \"simulated\" (the only one so far), found \"\(destination.driver)\"")
        }
        if let historyLimit, historyLimit < 1 {
            problems.append("history limit: expected at least 1 entry, found \(historyLimit)")
        }
        if syncPolicy.intervalSeconds <= 0 {
            problems.append("interval: expected a positive duration, found \(syncPolicy.intervalSeconds)s")
        }
        return problems
    }
}
