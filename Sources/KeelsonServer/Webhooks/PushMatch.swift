import KeelsonCore
import KeelsonGit

/// The applications a push concerns: those of the pushed repository that track the pushed branch
/// or tag and, when the push lists its files, whose path (or a kustomize base or file its last
/// render read) one of them touches.
public struct PushMatch: Sendable {
    /// An application of the pushed repository that the push leaves alone, and why.
    public struct Skip: Sendable, Hashable {
        public var application: Application
        public var reason: String

        public init(application: Application, reason: String) {
            self.application = application
            self.reason = reason
        }
    }

    /// The applications to reconcile, in the order given.
    public let reconcile: [Application]
    /// The other applications of the pushed repository, each with why it was skipped (for logs).
    public let skipped: [Skip]

    /// Sorts `applications` for `push`. Applications of other repositories appear in neither list.
    ///
    /// Repositories are compared by ``RemoteURL/canonicalKey`` (so https, ssh and scp-like forms,
    /// with or without `.git`, are one repository) without regard to case: forges treat owner and
    /// repository names that way, and a push that reconciles a same-named application needlessly
    /// costs less than one that misses it.
    /// - Parameter sources: what each application's last render read, by name (its status'
    ///   `sources`); an application without an entry is matched on its path alone.
    public init(push: PushEvent, applications: [Application], sources: [String: [String]] = [:]) {
        let pushed = Set(push.repositoryURLs.compactMap(Self.repositoryKey))
        var reconcile: [Application] = []
        var skipped: [Skip] = []
        // Thousands of applications usually share a few repositories: each is parsed once.
        var ofPushed: [String: Bool] = [:]
        for app in applications {
            let isPushed =
                ofPushed[app.repository]
                ?? {
                    let isPushed = Self.repositoryKey(app.repository).map(pushed.contains) ?? false
                    ofPushed[app.repository] = isPushed
                    return isPushed
                }()
            guard isPushed else { continue }
            if let reason = Self.reasonToSkip(app, push, sources: sources[app.name] ?? [app.path]) {
                skipped.append(Skip(application: app, reason: reason))
            } else {
                reconcile.append(app)
            }
        }
        self.reconcile = reconcile
        self.skipped = skipped
    }

    private static func repositoryKey(_ address: String) -> String? {
        (try? RemoteURL(address))?.canonicalKey.lowercased()
    }

    private static func reasonToSkip(_ app: Application, _ push: PushEvent, sources: [String]) -> String? {
        guard app.revision == push.revision || app.revision == push.ref else {
            return "tracks \"\(app.revision)\"; the push updated \"\(push.revision)\""
        }
        guard let changed = push.changedPaths else { return nil }
        var folders: [String] = []
        for source in sources {
            var folder = source
            while folder.hasPrefix("./") { folder.removeFirst(2) }
            while folder.hasSuffix("/") { folder.removeLast() }
            if folder.isEmpty || folder == "." { return nil }
            if changed.contains(where: { $0 == folder || $0.hasPrefix(folder + "/") }) { return nil }
            folders.append(folder)
        }
        return "none of the \(changed.count) changed files is under "
            + folders.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
