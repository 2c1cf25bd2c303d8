import Foundation
import KeelsonKubernetes

/// A repository on the local disk, read as it is now: what `keelson render <folder>` renders from.
///
/// Paths start with ``root`` as the user's own path did (`./apps/web`, `/tmp/repo/apps/web`), so messages
/// name files the way the user typed them.
public struct LocalRepository: RepositorySnapshot {
    public let root: String

    /// Creates a repository rooted at a folder.
    ///
    /// - Parameter root: The folder, absolute or relative to the working directory; empty for the working
    ///   directory itself.
    public init(root: String) {
        self.root = RepositoryPath(root: root).root
    }

    /// The repository holding `path`: the nearest folder at or above it with a `.git` entry, or else the
    /// folder `path` names (or holds, for a file).
    ///
    /// - Parameter path: A local folder or file, as the user gave it.
    /// - Returns: The repository, and `path` as a path of that repository.
    public static func enclosing(_ path: String) -> (repository: LocalRepository, path: String) {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        let exists = fileManager.fileExists(atPath: path, isDirectory: &isFolder)
        let absolute = URL(fileURLWithPath: path).standardized
        let start = exists && !isFolder.boolValue ? absolute.deletingLastPathComponent() : absolute
        var candidate = start
        var levels = 0
        while !fileManager.fileExists(atPath: candidate.appendingPathComponent(".git").path) {
            guard candidate.path != "/" else {
                let root = lexicallyUp(path, by: start == absolute ? 0 : 1)
                return (LocalRepository(root: root), RepositoryPath(root: root).normalise(path))
            }
            candidate = candidate.deletingLastPathComponent()
            levels += 1
        }
        let root = lexicallyUp(path, by: levels + (start == absolute ? 0 : 1))
        let inside = absolute.pathComponents.dropFirst(candidate.pathComponents.count)
        let repository = LocalRepository(root: root)
        let joined = inside.isEmpty ? root : (root.isEmpty ? "" : root + "/") + inside.joined(separator: "/")
        return (repository, RepositoryPath(root: repository.root).normalise(joined))
    }

    public func files(under path: String) async throws -> [ManifestFile] {
        var isFolder: ObjCBool = false
        let isFile =
            FileManager.default.fileExists(atPath: diskPath(path), isDirectory: &isFolder) && !isFolder.boolValue
        return try ManifestFile.loadLocal(at: diskPath(path)).map { file in
            let named = isFile ? path : (path.isEmpty ? file.path : path + "/" + file.path)
            return ManifestFile(path: named, contents: file.contents)
        }
    }

    public func file(at path: String) async throws -> ManifestFile? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: diskPath(path), isDirectory: &isFolder), !isFolder.boolValue
        else { return nil }
        let resolved = URL(fileURLWithPath: diskPath(path)).resolvingSymlinksInPath().path
        let top = URL(fileURLWithPath: diskPath(root)).resolvingSymlinksInPath().path
        guard RepositoryPath.isInside(resolved, folder: top) else {
            throw ManifestError(
                location: SourceLocation(file: path, line: nil), field: "",
                message: "expected a file inside the repository, found a symbolic link to \(resolved)",
                category: .unreadable)
        }
        guard let data = FileManager.default.contents(atPath: diskPath(path)) else {
            throw ManifestError(
                location: SourceLocation(file: path, line: nil), field: "", message: "expected a readable file",
                category: .unreadable)
        }
        return ManifestFile(path: path, contents: Array(data))
    }

    private func diskPath(_ path: String) -> String {
        path.isEmpty ? "." : path
    }

    /// `path` without its last `levels` components, written the way `path` was (`..` added past its start).
    private static func lexicallyUp(_ path: String, by levels: Int) -> String {
        var components = path.split(separator: "/").filter { $0 != "." }.map(String.init)
        for _ in 0..<levels {
            if let last = components.last, last != ".." { components.removeLast() } else { components.append("..") }
        }
        let joined = components.joined(separator: "/")
        if path.hasPrefix("/") { return "/" + joined }
        return joined
    }
}
