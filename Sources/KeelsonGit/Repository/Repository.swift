import CGit2
import Foundation

/// An open libgit2 repository. Not `Sendable`: it lives inside one `GitMirror` actor and every
/// call happens on that actor's thread, which is how libgit2's one-thread-at-a-time rule holds.
final class Repository {
    let pointer: OpaquePointer
    let path: String
    /// How messages name this repository: its folder, or for a mirror the remote it mirrors.
    var displayName: String

    private init(pointer: OpaquePointer, path: String) {
        self.pointer = pointer
        self.path = path
        self.displayName = path
    }

    deinit {
        git_repository_free(pointer)
    }

    /// Opens the repository at exactly `path` (no search upwards).
    static func open(at path: String) throws -> Repository {
        LibGit2.ensureInitialised()
        var handle: OpaquePointer?
        let code = git_repository_open_ext(&handle, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil)
        guard code == 0, let handle else {
            throw GitError.last(code, "open repository at \(path)", kind: .notARepository)
        }
        return Repository(pointer: handle, path: path)
    }

    /// Creates an empty bare repository at `path`.
    static func initBare(at path: String) throws -> Repository {
        LibGit2.ensureInitialised()
        var handle: OpaquePointer?
        try GitError.check(git_repository_init(&handle, path, 1), "create bare repository at \(path)")
        return Repository(pointer: handle!, path: path)
    }

    // MARK: Objects

    /// Looks up a commit; the caller frees it.
    func lookupCommit(_ id: ObjectID) throws -> OpaquePointer {
        var oid = id.oid
        var commit: OpaquePointer?
        let code = git_commit_lookup(&commit, pointer, &oid)
        guard code == 0, let commit else {
            throw GitError.last(code, "look up commit \(id.short)", kind: .revisionNotFound)
        }
        return commit
    }

    /// Runs `body` with the root tree of `commit`.
    func withTree<T>(of commit: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        let handle = try lookupCommit(commit)
        defer { git_commit_free(handle) }
        var tree: OpaquePointer?
        try GitError.check(git_commit_tree(&tree, handle), "read the tree of \(commit.short)")
        defer { git_tree_free(tree) }
        return try body(tree!)
    }

    /// Runs `body` with the tree object `id`.
    func withTree<T>(id: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        var oid = id.oid
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, pointer, &oid), "look up tree \(id.short)")
        defer { git_tree_free(tree) }
        return try body(tree!)
    }

    /// The entry at `path` inside `tree` (id and mode), or nil when nothing is there.
    func entry(at path: String, in tree: OpaquePointer) throws -> (id: ObjectID, mode: UInt32)? {
        let normalised = Repository.normalise(path)
        if normalised.isEmpty { return (ObjectID(git_tree_id(tree)), UInt32(GIT_FILEMODE_TREE.rawValue)) }
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, tree, normalised)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(code, "look up \(normalised)")
        defer { git_tree_entry_free(entry) }
        return (ObjectID(git_tree_entry_id(entry)), git_tree_entry_filemode(entry).rawValue)
    }

    /// Reads a blob's bytes.
    func blob(_ id: ObjectID) throws -> [UInt8] {
        var oid = id.oid
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, pointer, &oid), "read blob \(id.short)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    // MARK: References

    /// The commit a reference points to, peeled through annotated tags; nil when it does not exist.
    func commitID(ofReference name: String) throws -> ObjectID? {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, pointer, name + "^{commit}")
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(code, "resolve \(name)")
        defer { git_object_free(object) }
        return ObjectID(git_object_id(object))
    }

    /// The object a reference points to directly (a tag object for annotated tags), or nil.
    func target(ofReference name: String) -> ObjectID? {
        var oid = git_oid()
        guard git_reference_name_to_id(&oid, pointer, name) == 0 else { return nil }
        return ObjectID(oid)
    }

    /// Points `name` at `id`, creating or moving it.
    func setReference(_ name: String, to id: ObjectID, message: String) throws {
        var oid = id.oid
        var ref: OpaquePointer?
        try GitError.check(git_reference_create(&ref, pointer, name, &oid, 1, message), "update \(name)")
        git_reference_free(ref)
    }

    func deleteReference(_ name: String) {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, pointer, name) == 0 else { return }
        git_reference_delete(ref)
        git_reference_free(ref)
    }

    /// Whether `descendant` has `ancestor` in its history (or is it).
    func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) -> Bool {
        if ancestor == descendant { return true }
        var a = ancestor.oid
        var d = descendant.oid
        return git_graph_descendant_of(pointer, &d, &a) == 1
    }

    /// Whether an object with this id can be read.
    func hasObject(_ id: ObjectID) -> Bool {
        var oid = id.oid
        var object: OpaquePointer?
        guard git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY) == 0 else { return false }
        git_object_free(object)
        return true
    }

    /// `apps/web/` and `/apps/web` and `./apps/web` all mean `apps/web`; `.` and `` mean the root.
    static func normalise(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
    }
}
