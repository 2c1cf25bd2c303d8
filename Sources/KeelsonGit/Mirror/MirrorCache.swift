import CGit2
import Crypto
import Foundation

/// The folder of bare mirrors, one per remote repository, and the one `GitMirror` per remote that
/// this process shares among everything reading that repository.
public actor MirrorCache {
    /// Where the mirrors live: `<state>/mirrors/`.
    public nonisolated let folder: String
    private var open: [String: GitMirror] = [:]

    /// - Parameter stateFolder: Keelson's state folder; mirrors go in its `mirrors/` subfolder.
    public init(stateFolder: String) {
        self.folder = (stateFolder as NSString).appendingPathComponent("mirrors")
    }

    /// The mirror of `remote`, opened if it is on disk and sound, created empty otherwise (the
    /// first fetch then clones). A mirror that cannot be opened, is not bare, or has a ref that
    /// does not lead to a readable commit is deleted and created anew.
    public func mirror(for remote: RemoteURL) throws -> GitMirror {
        if let mirror = open[remote.canonicalKey] { return mirror }
        let path = mirrorFolder(for: remote)
        let repository: Repository
        if FileManager.default.fileExists(atPath: path), let existing = try? Repository.open(at: path),
            MirrorCache.isSound(existing)
        {
            repository = existing
        } else {
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            repository = try Repository.initBare(at: path)
        }
        let mirror = GitMirror(remote: remote, folder: path, repository: repository)
        open[remote.canonicalKey] = mirror
        return mirror
    }

    /// `<host>-<repo>-<12 hex of SHA-256 of the canonical key>.git`: readable, and distinct for
    /// distinct repositories.
    nonisolated func mirrorFolder(for remote: RemoteURL) -> String {
        let key = remote.canonicalKey
        let digest = SHA256.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined().prefix(12)
        let name = (key as NSString).lastPathComponent
        let host = remote.host.isEmpty ? "local" : remote.host
        let readable = "\(host)-\(name)".map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
        return (folder as NSString).appendingPathComponent("\(String(readable))-\(digest).git")
    }

    private static func isSound(_ repository: Repository) -> Bool {
        guard git_repository_is_bare(repository.pointer) == 1 else { return false }
        var iterator: OpaquePointer?
        guard git_reference_iterator_new(&iterator, repository.pointer) == 0 else { return false }
        defer { git_reference_iterator_free(iterator) }
        var name: UnsafePointer<CChar>?
        while git_reference_next_name(&name, iterator) == 0, let name {
            let ref = String(cString: name)
            if ref.hasPrefix("refs/remotes/") {
                guard (try? repository.commitID(ofReference: ref)) != nil else { return false }
            } else if ref.hasPrefix("refs/tags/") {
                // Tags may point at trees or blobs; they only need their object to be there.
                guard let id = repository.target(ofReference: ref), repository.hasObject(id) else { return false }
            }
        }
        return true
    }
}
