/// What a fetch of one revision found and did.
public struct FetchResult: Sendable, Equatable {
    /// What the revision named on the remote.
    public enum RevisionKind: String, Sendable {
        case branch, tag, commit
    }

    public let revision: String
    public let kind: RevisionKind
    /// The commit the revision points to now.
    public let commit: ObjectID
    /// The commit the mirror had for it before this fetch, if any.
    public let previous: ObjectID?
    /// Whether anything was downloaded. False when the remote ref had not moved.
    public let downloaded: Bool
    /// Whether the new commit does not descend from the previous one (a force-push).
    public let forced: Bool
    public let receivedObjects: Int
    public let receivedBytes: Int

    /// Whether the revision points somewhere new.
    public var moved: Bool { previous != commit }
}
