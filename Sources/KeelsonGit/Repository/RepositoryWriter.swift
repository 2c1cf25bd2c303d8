import CGit2
import Foundation

/// Authors commits in a bare repository from file contents, with no work tree and no `git`
/// process: how `keelson demo` and the benchmarks create the repositories they then serve.
///
/// Each call opens its own libgit2 handle, so a writer may be used from any thread.
public struct RepositoryWriter: Sendable {
    /// The bare repository's folder.
    public let path: String

    /// Opens the bare repository at `path`, creating it when the folder does not exist.
    public init(bareRepositoryAt path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            _ = try Repository.initBare(at: path)
        } else {
            _ = try Repository.open(at: path)
        }
    }

    /// The `file://` address of the repository.
    public var url: String { "file://" + path }

    /// Commits on `branch` the branch's current tree with `changes` applied: a path mapped to
    /// bytes is written (folders are created as needed), a path mapped to nil is removed.
    /// Creates the branch (and makes it `HEAD`) on the first commit.
    ///
    /// - Returns: the new commit.
    @discardableResult
    public func commit(
        _ changes: [String: [UInt8]?], onBranch branch: String, message: String, author: Commit.Signature
    ) throws -> ObjectID {
        let repository = try Repository.open(at: path)
        let ref = "refs/heads/\(branch)"
        let parent = try repository.commitID(ofReference: ref)
        let operation = "commit to \(branch) in \(path)"

        var index: OpaquePointer?
        try GitError.check(git_index_new(&index), operation)
        defer { git_index_free(index) }
        if let parent {
            try repository.withTree(of: parent) { try GitError.check(git_index_read_tree(index, $0), operation) }
        }
        for (rawPath, contents) in changes.sorted(by: { $0.key < $1.key }) {
            let file = Repository.normalise(rawPath)
            guard let contents else {
                _ = git_index_remove_bypath(index, file)
                _ = git_index_remove_directory(index, file, 0)
                continue
            }
            var blob = git_oid()
            try GitError.check(
                contents.withUnsafeBytes {
                    git_blob_create_from_buffer(&blob, repository.pointer, $0.baseAddress, $0.count)
                },
                "\(operation): write \(file)")
            var entry = git_index_entry()
            entry.mode = GIT_FILEMODE_BLOB.rawValue
            entry.id = blob
            try file.withCString { cPath in
                entry.path = cPath
                try GitError.check(git_index_add(index, &entry), "\(operation): add \(file)")
            }
        }
        let commit = try repository.writeCommit(
            from: index!, parent: parent, message: message, author: author, updating: ref, operation: operation)
        if parent == nil {
            try GitError.check(git_repository_set_head(repository.pointer, ref), "\(operation): set HEAD")
        }
        return commit
    }
}
