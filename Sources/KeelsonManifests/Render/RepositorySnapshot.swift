/// A repository's files at one revision, for renders that read beyond the application's path: kustomize
/// bases (`../base`), patches and generator files.
///
/// Paths are `/`-separated and start with ``root``; the renderer never builds a path above it.
/// ``GitRepositorySnapshot`` (in KeelsonCore) reads a git mirror at a commit, ``LocalRepository`` a folder.
public protocol RepositorySnapshot: Sendable {
    /// What every path of this repository starts with: empty for a git repository (paths are relative to its
    /// root), the repository's folder for a local one.
    var root: String { get }

    /// Every file under the folder `path`, or the file `path` itself, with its bytes.
    ///
    /// - Throws: When nothing is at `path` or it cannot be read.
    func files(under path: String) async throws -> [ManifestFile]

    /// The file at `path`, or `nil` when there is none (nothing at all, or a folder).
    ///
    /// - Throws: ``ManifestError`` when the file may not be used (a symbolic link leading outside the
    ///   repository); other errors when the repository cannot be read.
    func file(at path: String) async throws -> ManifestFile?
}
