import KeelsonGit
import KeelsonManifests

/// What git says should run for one application path: the commit and the objects rendered from it.
public struct DesiredState: Sendable {
    public let commit: Commit
    public let path: String
    public let manifests: RenderedManifests
}
