import CGit2

extension Repository {
    /// Every file under `path` at `commit`, depth first in git's (byte) order. `path` may name a
    /// folder, a single file, or the root (`""`). Submodules are skipped.
    ///
    /// - Throws: `GitError` of kind `.revisionNotFound` when nothing exists at `path`.
    func files(under path: String, at commit: ObjectID) throws -> [TreeEntry] {
        let prefix = Repository.normalise(path)
        return try withTree(of: commit) { root in
            guard let found = try entry(at: prefix, in: root) else {
                throw GitError(
                    operation: "list files under '\(prefix)' at \(commit.short)", kind: .pathNotFound,
                    message: "the path does not exist at that commit", code: GIT_ENOTFOUND.rawValue)
            }
            if let kind = Repository.fileKind(mode: found.mode) {
                return [TreeEntry(path: prefix, blobID: found.id, kind: kind)]
            }
            var result: [TreeEntry] = []
            try withTree(id: found.id) { try collect(tree: $0, prefix: prefix, into: &result) }
            return result
        }
    }

    /// Files under `path` at `commit` with their bytes. A symlink is read as the file it points
    /// to, as `kubectl apply -f` would read it from a checkout; links that leave the repository,
    /// lead nowhere or lead to a folder are errors.
    func readFiles(under path: String, at commit: ObjectID) throws -> [GitFile] {
        try files(under: path, at: commit).map { entry in
            guard entry.kind == .symlink else { return GitFile(entry: entry, contents: try blob(entry.blobID)) }
            let target = try followSymlink(entry, at: commit, hops: 0)
            return GitFile(
                entry: TreeEntry(path: entry.path, blobID: target, kind: .symlink), contents: try blob(target))
        }
    }

    private func followSymlink(_ link: TreeEntry, at commit: ObjectID, hops: Int) throws -> ObjectID {
        let target = String(decoding: try blob(link.blobID), as: UTF8.self)
        func refuse(_ why: String, _ kind: GitError.Kind = .other) -> GitError {
            GitError(
                operation: "read symlink \(link.path) at \(commit.short)", kind: kind,
                message: "it points to \(target), \(why)")
        }
        guard !target.hasPrefix("/") else { throw refuse("an absolute path outside the repository") }
        var parts = link.path.split(separator: "/").dropLast().map(String.init)
        for part in target.split(separator: "/") where part != "." {
            if part == ".." {
                guard !parts.isEmpty else { throw refuse("outside the repository") }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        let resolved = parts.joined(separator: "/")
        guard let found = try withTree(of: commit, { try entry(at: resolved, in: $0) }) else {
            throw refuse("which does not exist at this commit", .pathNotFound)
        }
        switch Repository.fileKind(mode: found.mode) {
        case .symlink?:
            guard hops < 8 else { throw refuse("through more than 8 links") }
            return try followSymlink(
                TreeEntry(path: resolved, blobID: found.id, kind: .symlink), at: commit, hops: hops + 1)
        case .file?, .executable?:
            return found.id
        case nil:
            throw refuse("a folder; only links to files are followed")
        }
    }

    private func collect(tree: OpaquePointer, prefix: String, into result: inout [TreeEntry]) throws {
        for index in 0..<git_tree_entrycount(tree) {
            let entry = git_tree_entry_byindex(tree, index)
            let name = String(cString: git_tree_entry_name(entry))
            let path = prefix.isEmpty ? name : prefix + "/" + name
            let id = ObjectID(git_tree_entry_id(entry))
            let mode = git_tree_entry_filemode(entry).rawValue
            if mode == GIT_FILEMODE_TREE.rawValue {
                try withTree(id: id) { try collect(tree: $0, prefix: path, into: &result) }
            } else if let kind = Repository.fileKind(mode: mode) {
                result.append(TreeEntry(path: path, blobID: id, kind: kind))
            }
        }
    }

    static func fileKind(mode: UInt32) -> TreeEntry.Kind? {
        switch mode {
        case GIT_FILEMODE_BLOB.rawValue: .file
        case GIT_FILEMODE_BLOB_EXECUTABLE.rawValue: .executable
        case GIT_FILEMODE_LINK.rawValue: .symlink
        default: nil
        }
    }

    /// The id of the tree or blob at `path` in `commit`, or nil when nothing is there. Equal ids
    /// mean nothing under `path` changed.
    func objectID(at path: String, in commit: ObjectID) throws -> ObjectID? {
        try withTree(of: commit) { try entry(at: path, in: $0)?.id }
    }

    /// Paths under `path` that differ from `old` to `new`, renames detected.
    /// When `path`'s tree id is the same in both commits, no diff is computed.
    ///
    /// - Returns: the changes and whether a tree diff had to run.
    func changedPaths(from old: ObjectID?, to new: ObjectID, under path: String) throws
        -> (changes: [ChangedPath], diffed: Bool)
    {
        let prefix = Repository.normalise(path)
        let newID = try objectID(at: prefix, in: new)
        let oldID = try old.flatMap { try objectID(at: prefix, in: $0) }
        if oldID == newID { return ([], false) }
        let oldTree = try oldID.flatMap { try treeOrNil($0) }
        defer { git_tree_free(oldTree) }
        let newTree = try newID.flatMap { try treeOrNil($0) }
        defer { git_tree_free(newTree) }
        // `path` names a file on one side or both: that file is a change of its own, and a folder
        // on the other side is diffed against nothing.
        let oldIsFile = oldID != nil && oldTree == nil
        let newIsFile = newID != nil && newTree == nil
        if oldIsFile && newIsFile { return ([ChangedPath(path: prefix, change: .modified)], false) }
        var changes: [ChangedPath] = []
        if oldIsFile { changes.append(ChangedPath(path: prefix, change: .deleted)) }
        if newIsFile { changes.append(ChangedPath(path: prefix, change: .added)) }
        if oldTree == nil && newTree == nil { return (changes, false) }
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        var diff: OpaquePointer?
        try GitError.check(
            git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options), "diff '\(prefix)' between commits")
        defer { git_diff_free(diff) }
        var find = git_diff_find_options()
        git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION))
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue
        try GitError.check(git_diff_find_similar(diff, &find), "detect renames under '\(prefix)'")
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
            let newPath = Repository.join(prefix, String(cString: delta.new_file.path))
            let oldPath = Repository.join(prefix, String(cString: delta.old_file.path))
            switch delta.status {
            case GIT_DELTA_ADDED: changes.append(ChangedPath(path: newPath, change: .added))
            case GIT_DELTA_DELETED: changes.append(ChangedPath(path: oldPath, change: .deleted))
            case GIT_DELTA_RENAMED: changes.append(ChangedPath(path: newPath, change: .renamed(from: oldPath)))
            case GIT_DELTA_MODIFIED, GIT_DELTA_TYPECHANGE: changes.append(ChangedPath(path: newPath, change: .modified))
            default: continue
            }
        }
        return (changes, true)
    }

    private func treeOrNil(_ id: ObjectID) throws -> OpaquePointer? {
        var oid = id.oid
        var object: OpaquePointer?
        try GitError.check(git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY), "look up \(id.short)")
        if git_object_type(object) == GIT_OBJECT_TREE { return object }
        git_object_free(object)
        return nil
    }

    private static func join(_ prefix: String, _ path: String) -> String {
        prefix.isEmpty ? path : prefix + "/" + path
    }
}
