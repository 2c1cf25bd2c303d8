/// A push to a git repository, as a forge's webhook reported it.
public struct PushEvent: Sendable, Hashable {
    /// Who sent the webhook.
    public enum Provider: String, Sendable, CaseIterable {
        case github, gitlab, gitea, gogs, forgejo
        /// Keelson's own JSON body, for CI jobs and scripts.
        case generic
    }

    public var provider: Provider
    /// Every address the payload gives for the repository (https, ssh, web), in the payload's order.
    public var repositoryURLs: [String]
    /// The full ref pushed: `refs/heads/main`, `refs/tags/v1.2.0` (or a bare name from a generic body).
    public var ref: String
    /// The commit the ref points to after the push.
    public var commit: String
    /// Files added, modified or removed by the push; nil when the payload does not list them all.
    public var changedPaths: Set<String>?

    public init(provider: Provider, repositoryURLs: [String], ref: String, commit: String, changedPaths: Set<String>?) {
        self.provider = provider
        self.repositoryURLs = repositoryURLs
        self.ref = ref
        self.commit = commit
        self.changedPaths = changedPaths
    }

    /// The branch or tag name: `main` for `refs/heads/main`, `v1.2.0` for `refs/tags/v1.2.0`.
    public var revision: String {
        Self.branchOrTagName(ref) ?? ref
    }

    /// The name in a branch or tag ref, a bare name as it is, nil for other refs (`refs/pull/1/head`).
    static func branchOrTagName(_ ref: String) -> String? {
        for prefix in ["refs/heads/", "refs/tags/"] where ref.hasPrefix(prefix) {
            return String(ref.dropFirst(prefix.count))
        }
        return ref.hasPrefix("refs/") ? nil : ref
    }
}
