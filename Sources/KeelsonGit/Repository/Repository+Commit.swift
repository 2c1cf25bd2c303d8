import CGit2
import Foundation

extension Repository {
    /// Writes `index` as a tree and commits it with `parent` (none for a root commit), moving
    /// `reference` to the new commit when one is named.
    func writeCommit(
        from index: OpaquePointer, parent: ObjectID?, message: String, author: Commit.Signature,
        updating reference: String?,
        operation: String
    ) throws -> ObjectID {
        var treeOID = git_oid()
        try GitError.check(git_index_write_tree_to(&treeOID, index, pointer), "\(operation): write tree")
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, pointer, &treeOID), operation)
        defer { git_tree_free(tree) }
        var signature: UnsafeMutablePointer<git_signature>?
        try GitError.check(
            git_signature_new(&signature, author.name, author.email, Int64(author.date.timeIntervalSince1970), 0),
            "\(operation): author")
        defer { git_signature_free(signature) }
        let parentCommit = try parent.map { try lookupCommit($0) }
        defer { git_commit_free(parentCommit) }
        var parents: [OpaquePointer?] = parentCommit.map { [$0] } ?? []
        var commitOID = git_oid()
        try GitError.check(
            git_commit_create(
                &commitOID, pointer, reference, signature, signature, "UTF-8", message, tree, parents.count, &parents),
            operation)
        return ObjectID(commitOID)
    }
}
