import CGit2
import Foundation

extension Repository {
    /// A commit's metadata.
    func commit(_ id: ObjectID) throws -> Commit {
        let handle = try lookupCommit(id)
        defer { git_commit_free(handle) }
        return Repository.describe(handle, id: id)
    }

    /// Commits reachable from `start`, newest first, keeping those that changed `path` (every
    /// commit when `path` is nil): a commit counts when `path` differs from each of its parents.
    func log(from start: ObjectID, touching path: String?, limit: Int) throws -> [Commit] {
        let prefix = path.map(Repository.normalise)
        return try walkingHistory(from: start) { walk in
            var result: [Commit] = []
            var oid = git_oid()
            while result.count < limit, git_revwalk_next(&oid, walk) == 0 {
                let id = ObjectID(oid)
                let handle = try lookupCommit(id)
                defer { git_commit_free(handle) }
                if let prefix, !(try touches(handle, anyOf: [prefix])) { continue }
                result.append(Repository.describe(handle, id: id))
            }
            return result
        }
    }

    /// The newest commit reachable from `start` that changed any of `paths` (a commit counts when
    /// some path differs from each of its parents); nil when none did. `known` is an earlier
    /// answer for the same paths: when `start` descends from its start, only the commits since
    /// are walked, and the answer stands unless one of them changed a path. Also returns how
    /// many commits were walked.
    func lastChange(
        touching paths: [String], from start: ObjectID, after known: (start: ObjectID, change: Commit?)?
    ) throws -> (change: Commit?, walked: Int) {
        if let known, known.start == start { return (known.change, 0) }
        let known = known.flatMap { isAncestor($0.start, of: start) ? $0 : nil }
        let paths = paths.map(Repository.normalise)
        return try walkingHistory(from: start, hiding: known?.start) { walk in
            var oid = git_oid()
            var walked = 0
            while git_revwalk_next(&oid, walk) == 0 {
                walked += 1
                let id = ObjectID(oid)
                let handle = try lookupCommit(id)
                defer { git_commit_free(handle) }
                if try touches(handle, anyOf: paths) { return (Repository.describe(handle, id: id), walked) }
            }
            return (known?.change, walked)
        }
    }

    /// Runs `body` with a walk of the commits reachable from `start` and not from `hidden`,
    /// newest first (parents after their children).
    private func walkingHistory<Value>(
        from start: ObjectID, hiding hidden: ObjectID? = nil, _ body: (OpaquePointer?) throws -> Value
    ) throws -> Value {
        var walk: OpaquePointer?
        try GitError.check(git_revwalk_new(&walk, pointer), "walk history")
        defer { git_revwalk_free(walk) }
        git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue)
        var startOID = start.oid
        try GitError.check(git_revwalk_push(walk, &startOID), "walk history from \(start.short)")
        if var hiddenOID = hidden?.oid {
            try GitError.check(git_revwalk_hide(walk, &hiddenOID), "walk history from \(start.short)")
        }
        return try body(walk)
    }

    private func touches(_ commit: OpaquePointer, anyOf paths: [String]) throws -> Bool {
        let id = ObjectID(git_commit_id(commit))
        let mine = try paths.map { try objectID(at: $0, in: id) }
        let parentCount = git_commit_parentcount(commit)
        if parentCount == 0 { return mine.contains { $0 != nil } }
        for index in 0..<parentCount {
            guard let parentID = git_commit_parent_id(commit, index) else { continue }
            let parent = ObjectID(parentID)
            if try paths.map({ try objectID(at: $0, in: parent) }) == mine { return false }
        }
        return true
    }

    private static func describe(_ handle: OpaquePointer, id: ObjectID) -> Commit {
        let parents = (0..<git_commit_parentcount(handle)).compactMap {
            git_commit_parent_id(handle, $0).map(ObjectID.init)
        }
        let message = git_commit_message(handle).map { String(cString: $0) } ?? ""
        let subject = git_commit_summary(handle).map { String(cString: $0) } ?? ""
        return Commit(
            id: id, parents: parents, subject: subject, message: message,
            author: signature(git_commit_author(handle)), committer: signature(git_commit_committer(handle)))
    }

    private static func signature(_ pointer: UnsafePointer<git_signature>?) -> Commit.Signature {
        guard let signature = pointer?.pointee else {
            return Commit.Signature(name: "", email: "", date: Date(timeIntervalSince1970: 0))
        }
        return Commit.Signature(
            name: signature.name.map { String(cString: $0) } ?? "",
            email: signature.email.map { String(cString: $0) } ?? "",
            date: Date(timeIntervalSince1970: TimeInterval(signature.when.time)))
    }
}
