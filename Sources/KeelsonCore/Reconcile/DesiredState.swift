import KeelsonGit
import KeelsonManifests

/// What git says should run for one application path: the commit and the objects rendered from it.
public struct DesiredState: Sendable {
    /// The commit rendered.
    public let commit: Commit
    /// The newest commit, at or before ``commit``, that changed ``path``: the one that made this
    /// desired state what it is (in a monorepo, usually not the branch head).
    public let changedIn: Commit
    public let path: String
    public let manifests: RenderedManifests

    public init(commit: Commit, changedIn: Commit, path: String, manifests: RenderedManifests) {
        self.commit = commit
        self.changedIn = changedIn
        self.path = path
        self.manifests = manifests
    }
}
