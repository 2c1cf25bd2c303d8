import KeelsonGit
import KeelsonKubernetes
import KeelsonManifests

/// A git mirror's files at one commit, as a ``RepositorySnapshot`` the renderer reads kustomize bases and
/// generator files from. Files carry their blob ids, so each blob is parsed once.
public struct GitRepositorySnapshot: RepositorySnapshot {
    public let mirror: GitMirror
    public let commit: ObjectID

    public var root: String { "" }

    public init(mirror: GitMirror, commit: ObjectID) {
        self.mirror = mirror
        self.commit = commit
    }

    public func files(under path: String) async throws -> [ManifestFile] {
        try await mirror.readFiles(under: path, at: commit).map(Self.manifestFile)
    }

    /// Symbolic links are followed inside the repository; one that leads outside it, to a folder or
    /// nowhere is a ``ManifestError`` naming the link.
    public func file(at path: String) async throws -> ManifestFile? {
        let entries: [TreeEntry]
        do {
            entries = try await mirror.files(under: path, at: commit)
        } catch let error as GitError where error.kind == .pathNotFound {
            return nil
        }
        guard entries.count == 1, entries[0].path == path else { return nil }
        do {
            return try await mirror.readFiles(under: path, at: commit).first.map(Self.manifestFile)
        } catch let error as GitError where entries[0].kind == .symlink {
            throw ManifestError(
                location: SourceLocation(file: path, line: nil), field: "",
                message: "expected a file inside the repository: \(error.message)", category: .unreadable)
        }
    }

    private static func manifestFile(_ file: GitFile) -> ManifestFile {
        ManifestFile(path: file.path, blobID: file.blobID.hex, contents: file.contents)
    }
}
