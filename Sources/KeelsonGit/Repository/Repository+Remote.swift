import CGit2
import Foundation

extension Repository {
    /// Fetches what `revision` needs from `remote`. Asks the remote where its refs point first and
    /// downloads nothing when the mirror already has that.
    ///
    /// A branch is mirrored as `refs/remotes/origin/<branch>`, a tag as `refs/tags/<tag>`; a SHA
    /// that the mirror lacks makes it fetch every branch and tag. Force-pushes are followed.
    func fetch(_ revision: String, session: RemoteSession) throws -> FetchResult {
        try withRemote(session, direction: GIT_DIRECTION_FETCH) { remote in
            let advertised = try advertisedRefs(remote, session: session)
            let name = revision.hasPrefix("refs/heads/") ? String(revision.dropFirst("refs/heads/".count)) : revision
            if !revision.hasPrefix("refs/"), advertised["refs/heads/" + name] != nil,
                advertised["refs/tags/" + name] != nil
            {
                throw GitError(
                    operation: session.operation, kind: .ambiguousRevision,
                    message: "\(session.remote) has both a branch and a tag named '\(name)'; "
                        + "write refs/heads/\(name) or refs/tags/\(name)", code: GIT_EAMBIGUOUS.rawValue)
            }
            if let tip = advertised["refs/heads/" + name] {
                return try update(
                    remote, session: session, revision: revision, kind: .branch, tip: tip,
                    refspec: "+refs/heads/\(name):refs/remotes/origin/\(name)", localRef: "refs/remotes/origin/\(name)")
            }
            let tag = revision.hasPrefix("refs/tags/") ? String(revision.dropFirst("refs/tags/".count)) : revision
            if let tip = advertised["refs/tags/" + tag] {
                return try update(
                    remote, session: session, revision: revision, kind: .tag, tip: tip,
                    refspec: "+refs/tags/\(tag):refs/tags/\(tag)", localRef: "refs/tags/\(tag)")
            }
            guard Repository.isSHAPrefix(revision) else {
                let branches = advertised.keys.filter { $0.hasPrefix("refs/heads/") }.map { $0.dropFirst(11) }.sorted()
                throw GitError(
                    operation: session.operation, kind: .referenceNotFound,
                    message:
                        "\(session.remote) has no branch or tag '\(revision)' (branches: \(branches.joined(separator: ", ")))",
                    code: GIT_ENOTFOUND.rawValue)
            }
            if let commit = try? resolve(revision) {
                return FetchResult(
                    revision: revision, kind: .commit, commit: commit, previous: commit, downloaded: false,
                    forced: false,
                    receivedObjects: 0, receivedBytes: 0)
            }
            let stats = try download(
                remote, refspecs: ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], session: session)
            for (ref, id) in advertised where !ref.hasSuffix("^{}") {
                if ref.hasPrefix("refs/heads/") {
                    try setReference("refs/remotes/origin/" + ref.dropFirst(11), to: id, message: "keelson: fetch")
                } else if ref.hasPrefix("refs/tags/") {
                    try setReference(ref, to: id, message: "keelson: fetch")
                }
            }
            guard let commit = try? resolve(revision) else {
                throw GitError(
                    operation: session.operation, kind: .revisionNotFound,
                    message: "\(session.remote) has no commit '\(revision)' on any branch or tag",
                    code: GIT_ENOTFOUND.rawValue)
            }
            return FetchResult(
                revision: revision, kind: .commit, commit: commit, previous: nil, downloaded: true, forced: false,
                receivedObjects: stats.receivedObjects, receivedBytes: stats.receivedBytes)
        }
    }

    private func update(
        _ remote: OpaquePointer, session: RemoteSession, revision: String, kind: FetchResult.RevisionKind,
        tip: ObjectID, refspec: String, localRef: String
    ) throws -> FetchResult {
        let previousTarget = target(ofReference: localRef)
        let previous = try commitID(ofReference: localRef)
        if previousTarget == tip, let previous {
            return FetchResult(
                revision: revision, kind: kind, commit: previous, previous: previous, downloaded: false, forced: false,
                receivedObjects: 0, receivedBytes: 0)
        }
        let stats = try download(remote, refspecs: [refspec], session: session)
        try setReference(localRef, to: tip, message: "keelson: fetch \(revision)")
        guard let commit = try commitID(ofReference: localRef) else {
            throw GitError(
                operation: session.operation, kind: .revisionNotFound, message: "\(localRef) does not point to a commit"
            )
        }
        return FetchResult(
            revision: revision, kind: kind, commit: commit, previous: previous, downloaded: true,
            forced: previous.map { !isAncestor($0, of: commit) } ?? false,
            receivedObjects: stats.receivedObjects, receivedBytes: stats.receivedBytes)
    }

    /// Pushes `commit` to `refs/heads/<branch>` on the remote, refusing non-fast-forwards. The
    /// mirror's `refs/remotes/origin/<branch>` is the caller's to move.
    func push(_ commit: ObjectID, toBranch branch: String, session: RemoteSession) throws {
        let staging = "refs/keelson/push"
        try setReference(staging, to: commit, message: "keelson: push")
        defer { deleteReference(staging) }
        try withRemote(session, direction: GIT_DIRECTION_PUSH) { remote in
            var options = git_push_options()
            git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
            options.callbacks = session.callbacks()
            let code = withStringArray(["\(staging):refs/heads/\(branch)"]) { git_remote_push(remote, $0, &options) }
            session.ended(.push, succeeded: code == 0 && session.pushRejections["refs/heads/\(branch)"] == nil)
            if code == GIT_ENONFASTFORWARD.rawValue {
                throw GitError(
                    operation: session.operation, kind: .pushRejected,
                    message: "refs/heads/\(branch) on \(session.remote) has moved on; fetch and try again", code: code)
            }
            if code < 0 { throw session.error(for: code) }
            if let status = session.pushRejections["refs/heads/\(branch)"] {
                throw GitError(
                    operation: session.operation, kind: .pushRejected, message: "the remote refused: \(status)")
            }
        }
    }

    // MARK: Plumbing

    /// Runs `body` with a connected anonymous remote (no URL, and so no secret, is written to the
    /// mirror's configuration).
    private func withRemote<T>(
        _ session: RemoteSession, direction: git_direction, _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        // Anonymous, and without `url.<base>.insteadOf` rewrites: the address fetched is the one the
        // application names. (libgit2 1.5 also leaks ~70 KB per remote when it applies them, which
        // grew a daemon by 100 MB a second at 2,000 applications.)
        var options = git_remote_create_options()
        git_remote_create_options_init(&options, UInt32(GIT_REMOTE_CREATE_OPTIONS_VERSION))
        options.repository = pointer
        options.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF.rawValue
        var remote: OpaquePointer?
        try GitError.check(
            git_remote_create_with_opts(&remote, session.remote.libgit2URL, &options), session.operation)
        defer { git_remote_free(remote) }
        var callbacks = session.callbacks()
        var proxy = git_proxy_options()
        git_proxy_options_init(&proxy, UInt32(GIT_PROXY_OPTIONS_VERSION))
        proxy.type = GIT_PROXY_AUTO
        session.beginConnection()
        // Connecting for a fetch is the ref listing; for a push, part of the push.
        let request: GitRequestKind = direction == GIT_DIRECTION_FETCH ? .refListing : .push
        let code = git_remote_connect(remote, direction, &callbacks, &proxy, nil)
        if code < 0 { throw session.failed(request, code: code) }
        if request == .refListing { session.ended(.refListing, succeeded: true) }
        defer { git_remote_disconnect(remote) }
        return try body(remote!)
    }

    /// Where the remote's refs point (`git ls-remote`); annotated tags also appear peeled as `<tag>^{}`.
    private func advertisedRefs(_ remote: OpaquePointer, session: RemoteSession) throws -> [String: ObjectID] {
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        let code = git_remote_ls(&heads, &count, remote)
        if code < 0 { throw session.error(for: code) }
        var refs: [String: ObjectID] = [:]
        for index in 0..<count {
            guard let head = heads?[index]?.pointee, let name = head.name else { continue }
            refs[String(cString: name)] = ObjectID(head.oid)
        }
        return refs
    }

    private func download(_ remote: OpaquePointer, refspecs: [String], session: RemoteSession) throws
        -> (receivedObjects: Int, receivedBytes: Int)
    {
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.callbacks = session.callbacks()
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        options.proxy_opts.type = GIT_PROXY_AUTO
        let code = withStringArray(refspecs) { git_remote_download(remote, $0, &options) }
        if code < 0 { throw session.failed(.download, code: code) }
        session.ended(.download, succeeded: true)
        guard let stats = git_remote_stats(remote)?.pointee else { return (0, 0) }
        return (Int(stats.received_objects), Int(stats.received_bytes))
    }
}

/// Runs `body` with a `git_strarray` holding copies of `strings`.
func withStringArray<T>(_ strings: [String], _ body: (UnsafeMutablePointer<git_strarray>) throws -> T) rethrows -> T {
    var copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return try copies.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}
