import KeelsonGit
import KeelsonManifests

/// Reads an application's path out of a git mirror at a commit and renders it, parsing each blob
/// at most once for the life of the loader (the renderer's cache is keyed by blob id).
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
        let files = try await mirror.readFiles(under: path, at: commit).map {
            ManifestFile(path: $0.path, blobID: $0.blobID.hex, contents: $0.contents)
        }
        let manifests = try renderer.render(files, under: path)
        let metadata = try await mirror.commit(commit)
        let changedIn = try await mirror.log(from: commit, touching: path, limit: 1).first ?? metadata
        return DesiredState(commit: metadata, changedIn: changedIn, path: path, manifests: manifests)
    }
}
