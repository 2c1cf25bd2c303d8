import CGit2
import Foundation

extension Repository {
    /// Creates a commit on top of `parent` whose tree equals `parent`'s except that `path` holds
    /// exactly what it held at `source` (removed if it did not exist there). No reference moves.
    ///
    /// - Returns: the new commit, or nil when `path` already matches `source` at `parent`.
    func commitRestoring(
        _ path: String, from source: ObjectID, onto parent: ObjectID, message: String, author: Commit.Signature
    ) throws -> ObjectID? {
        let prefix = Repository.normalise(path)
        let operation = "restore '\(prefix)' to \(source.short)"
        guard !prefix.isEmpty else {
            throw GitError(
                operation: operation, kind: .other,
                message: "restoring the whole repository is not supported; name a path")
        }
        let sourceID = try objectID(at: prefix, in: source)
        if try sourceID == objectID(at: prefix, in: parent) { return nil }

        var index: OpaquePointer?
        try GitError.check(git_index_new(&index), operation)
        defer { git_index_free(index) }
        try withTree(of: parent) { try GitError.check(git_index_read_tree(index, $0), operation) }
        _ = git_index_remove_directory(index, prefix, 0)
        _ = git_index_remove(index, prefix, 0)
        for entry in sourceID == nil ? [] : try files(under: prefix, at: source) {
            var indexEntry = git_index_entry()
            indexEntry.mode = Repository.mode(of: entry.kind)
            indexEntry.id = entry.blobID.oid
            try entry.path.withCString { cPath in
                indexEntry.path = cPath
                try GitError.check(git_index_add(index, &indexEntry), operation)
            }
        }
        return try writeCommit(
            from: index!, parent: parent, message: message, author: author, updating: nil, operation: operation)
    }

    static func mode(of kind: TreeEntry.Kind) -> UInt32 {
        switch kind {
        case .file: GIT_FILEMODE_BLOB.rawValue
        case .executable: GIT_FILEMODE_BLOB_EXECUTABLE.rawValue
        case .symlink: GIT_FILEMODE_LINK.rawValue
        }
    }
}
