import KeelsonGit
import KeelsonManifests

/// Reads an application's path out of a git mirror at a commit and renders it, parsing each blob
/// at most once for the life of the loader (the renderer's cache is keyed by blob id). A kustomization
/// may read bases and files elsewhere in the repository at the same commit.
public struct DesiredStateLoader: Sendable {
    public let mirrors: MirrorCache
    public let renderer: ManifestRenderer

    /// - Parameter stateFolder: Keelson's home; mirrors live in its `mirrors/` folder.
    public init(stateFolder: String, renderer: ManifestRenderer = ManifestRenderer()) {
        self.mirrors = MirrorCache(stateFolder: stateFolder)
        self.renderer = renderer
    }

    /// Renders `path` at `commit` from `mirror`.
    ///
    /// - Throws: `GitError` when the commit or path cannot be read, `RenderFailure` with every
    ///   manifest error (file, line, field) when the manifests are invalid.
    public func render(_ mirror: GitMirror, commit: ObjectID, path: String) async throws -> DesiredState {
        let manifests = try await renderer.render(path: path, in: GitRepositorySnapshot(mirror: mirror, commit: commit))
        let metadata = try await mirror.commit(commit)
        // The newest commit that changed anything the render read.
        let changedIn = try await mirror.lastChange(touching: manifests.sources, from: commit)
        return DesiredState(commit: metadata, changedIn: changedIn ?? metadata, path: path, manifests: manifests)
    }
}
