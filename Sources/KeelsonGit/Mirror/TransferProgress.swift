/// How far a fetch has come, as libgit2 reports it while objects arrive.
public struct TransferProgress: Sendable, Equatable {
    public var totalObjects: Int
    public var receivedObjects: Int
    public var indexedObjects: Int
    public var receivedBytes: Int
}

/// Limits and observers for one network operation.
/// A kind of request to a git remote.
public enum GitRequestKind: String, Sendable, CaseIterable {
    /// Connecting and listing where the remote's refs point (`git ls-remote`).
    case refListing = "ls-remote"
    /// Downloading objects.
    case download = "fetch"
    case push
}

public struct NetworkOptions: Sendable {
    public var credentials: GitCredentials
    /// How this caller reaches the repository, when it differs from the address the mirror was
    /// first opened with (one app may use `https://` and a token, another `git@…` and a key).
    /// Must name the same repository.
    public var address: RemoteURL?
    /// The whole operation, connection included, fails with `.timedOut` after this long.
    public var timeout: Duration?
    /// Called on libgit2's thread as objects arrive; keep it quick.
    public var progress: (@Sendable (TransferProgress) -> Void)?
    /// Called on libgit2's thread as each request to the remote ends, and whether it succeeded.
    public var requests: (@Sendable (GitRequestKind, _ succeeded: Bool) -> Void)?
    /// Called when a downloading fetch has unpacked its small pack, and when the repack it started
    /// in the background has ended (see ``GitMirror/fetch(_:options:)``), with the remote and what
    /// was done or why it failed.
    public var maintenance: (@Sendable (_ remote: RemoteURL, Result<RepackResult, any Error>) -> Void)?
    /// Called when a write found lock files that a killed process left in the mirror and removed
    /// them (paths relative to the mirror; see ``GitMirror/Statistics/staleLocksRemoved``).
    public var staleLocksRemoved: (@Sendable (_ remote: RemoteURL, _ files: [String]) -> Void)?

    public init(
        credentials: GitCredentials = .anonymous, address: RemoteURL? = nil, timeout: Duration? = .seconds(300),
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) {
        self.credentials = credentials
        self.address = address
        self.timeout = timeout
        self.progress = progress
    }
}
