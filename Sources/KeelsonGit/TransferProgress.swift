/// How far a fetch has come, as libgit2 reports it while objects arrive.
public struct TransferProgress: Sendable, Equatable {
    public var totalObjects: Int
    public var receivedObjects: Int
    public var indexedObjects: Int
    public var receivedBytes: Int
}

/// Limits and observers for one network operation.
public struct NetworkOptions: Sendable {
    public var credentials: GitCredentials
    /// The whole operation, connection included, fails with `.timedOut` after this long.
    public var timeout: Duration?
    /// Called on libgit2's thread as objects arrive; keep it quick.
    public var progress: (@Sendable (TransferProgress) -> Void)?

    public init(
        credentials: GitCredentials = .anonymous, timeout: Duration? = .seconds(300),
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) {
        self.credentials = credentials
        self.timeout = timeout
        self.progress = progress
    }
}
