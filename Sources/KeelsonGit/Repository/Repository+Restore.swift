import CGit2
import Foundation

extension Repository {
    /// Creates a commit on top of `parent` whose tree equals `parent`'s except that each of
    /// `paths` holds exactly what it held at `source` (removed if it did not exist there). No
    /// reference moves.
    ///
    /// - Returns: the new commit, or nil when every path already matches `source` at `parent`.
    func commitRestoring(
        _ paths: [String], from source: ObjectID, onto parent: ObjectID, message: String, author: Commit.Signature
    ) throws -> ObjectID? {
        let prefixes = paths.map(Repository.normalise)
        let operation = "restore \(prefixes.map { "'\($0)'" }.joined(separator: ", ")) to \(source.short)"
        guard !prefixes.isEmpty, !prefixes.contains("") else {
            throw GitError(
                operation: operation, kind: .other,
                message: "restoring the whole repository is not supported; name a path")
        }
        var sourceIDs: [String: ObjectID?] = [:]
        for prefix in prefixes { sourceIDs[prefix] = try objectID(at: prefix, in: source) }
        if try prefixes.allSatisfy({ try sourceIDs[$0]! == objectID(at: $0, in: parent) }) { return nil }

        var index: OpaquePointer?
        try GitError.check(git_index_new(&index), operation)
        defer { git_index_free(index) }
        try withTree(of: parent) { try GitError.check(git_index_read_tree(index, $0), operation) }
        for prefix in prefixes {
            _ = git_index_remove_directory(index, prefix, 0)
            _ = git_index_remove(index, prefix, 0)
        }
        for prefix in prefixes where sourceIDs[prefix]! != nil {
            for entry in try files(under: prefix, at: source) {
                var indexEntry = git_index_entry()
                indexEntry.mode = Repository.mode(of: entry.kind)
                indexEntry.id = entry.blobID.oid
                try entry.path.withCString { cPath in
                    indexEntry.path = cPath
                    try GitError.check(git_index_add(index, &indexEntry), operation)
                }
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
