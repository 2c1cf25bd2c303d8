import CGit2
import Foundation

/// A bare mirror of one remote repository in Keelson's state folder, and every git operation
/// Keelson performs on it. The libgit2 handle never leaves this actor, whose jobs run on a thread
/// of its own.
public actor GitMirror {
    /// Counters of the work this mirror has done, for metrics and tests.
    public struct Statistics: Sendable, Equatable {
        /// Times the remote was asked where its refs point.
        public var refListings = 0
        /// Fetches that downloaded objects.
        public var downloads = 0
        /// Tree-to-tree diffs computed (not those short-circuited by equal subtree ids).
        public var treeDiffs = 0
        /// Commits looked at by ``GitMirror/lastChange(touching:from:)``.
        public var commitsWalked = 0
        public var receivedBytes = 0
        /// Full repacks and small packs unpacked, and maintenance runs that failed (the mirror
        /// stays as it was then).
        public var repacks = 0
        public var unpacks = 0
        public var failedRepacks = 0
        /// Lock files git left in the mirror when a writer was killed, removed so that writes go on.
        public var staleLocksRemoved = 0
    }

    /// A fetched pack of fewer objects than this is unpacked into loose objects (git's
    /// `fetch.unpackLimit`), which libgit2 does not hold open: without it a daemon fed a push a
    /// second runs out of file descriptors within a day, and each lookup searches one more pack.
    public static let unpackLimit = 100
    /// A mirror is repacked into one pack once it holds more loose objects than a tenth of what
    /// its packs hold, and than this.
    public static let minimumLooseObjectsBeforeRepack = 500
    /// Unreachable objects, and files of a killed pack write, are removed once this old.
    public static let pruneExpiry: TimeInterval = 3600

    public nonisolated let remote: RemoteURL
    /// The bare repository's folder.
    public nonisolated let folder: String
    /// Reopened after a repack, so that libgit2 lets go of the packs removed.
    private var repository: Repository
    /// Held while this process writes the mirror, so that other processes do not.
    private let writerLock: MirrorWriterLock
    /// A repack is under way.
    private var repacking = false
    /// Loose objects in the mirror, as this actor last counted them and has written since (so
    /// that a fetch need not list the object folders): a repack counts again.
    private var looseObjects: Int?
    /// The last ``lastChange(touching:from:)`` answer for each set of paths (sorted), from where.
    private var lastChanges: [[String]: (start: ObjectID, change: Commit?)] = [:]
    /// More sets of paths than a repository of this many applications has: forgotten all at
    /// once, so that the sets of applications long gone do not pile up.
    private static let maximumRememberedChanges = 20_000
    private nonisolated let executor: DispatchQueueExecutor
    public private(set) var statistics = Statistics()

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(remote: RemoteURL, folder: String, repository: sending Repository) {
        self.remote = remote
        self.folder = folder
        repository.displayName = "the mirror of \(remote) (fetch it first)"
        self.repository = repository
        self.writerLock = MirrorWriterLock(mirror: folder)
        self.executor = DispatchQueueExecutor(label: "keelson.git.\(remote.canonicalKey)")
    }

    // MARK: Network

    /// Brings `revision` (branch, tag or SHA) up to date from the remote. Asks the remote first
    /// and downloads nothing when the ref has not moved. A fetch that downloads keeps the mirror
    /// at one or two packs: it unpacks its own pack when small, and starts a repack in the
    /// background when the mirror has grown (see ``unpackLimit``).
    ///
    /// - Throws: `GitError` (`.referenceNotFound`, `.authenticationFailed`, `.timedOut`, …).
    public nonisolated func fetch(_ revision: String, options: NetworkOptions = NetworkOptions()) async throws
        -> FetchResult
    {
        let operation = "fetch '\(revision)' from \(options.address ?? remote)"
        let signal = AbortSignal()
        return try await boundedInTime(options.timeout, signal: signal, operation: operation) {
            try await self.performFetch(revision, options: options, signal: signal, operation: operation)
        }
    }

    private func performFetch(_ revision: String, options: NetworkOptions, signal: AbortSignal, operation: String)
        async throws -> FetchResult
    {
        let remote = try address(options, operation)
        try await holdWriterLock(signal: signal, operation: operation)
        defer { writerLock.release() }
        let session = RemoteSession(remote: remote, options: options, signal: signal, operation: operation)
        let result = try pastStaleLocks(options) {
            statistics.refListings += 1
            return try repository.fetch(revision, session: session)
        }
        if result.downloaded {
            statistics.downloads += 1
            statistics.receivedBytes += result.receivedBytes
            let observer = options.maintenance
            do {
                if let unpacked = try unpackSmallPacks() { observer?(remote, .success(unpacked)) }
            } catch {
                // The fetch stands: its pack stays, for the next maintenance.
                statistics.failedRepacks += 1
                observer?(remote, .failure(error))
            }
            if !repacking, needsRepack() {
                repacking = true
                // After this fetch returns, not as part of it.
                Task.detached { [self] in
                    do {
                        if let result = try await self.repackWhileNeeded() { observer?(self.remote, .success(result)) }
                    } catch {
                        observer?(self.remote, .failure(error))
                    }
                }
            }
        }
        return result
    }

    // MARK: Maintenance

    /// Whether the mirror holds more loose objects than a tenth of its packed ones (and than
    /// ``minimumLooseObjectsBeforeRepack``), or more than two packs.
    private func needsRepack() -> Bool {
        let packs = repository.packSizes
        let loose = countedLooseObjects()
        return packs.count > 2
            || loose > max(Self.minimumLooseObjectsBeforeRepack, packs.map(\.objects).reduce(0, +) / 10)
    }

    private func countedLooseObjects() -> Int {
        let loose = looseObjects ?? repository.objectFiles.looseObjects
        looseObjects = loose
        return loose
    }

    /// Repacks the mirror into one pack, and again while fetches that downloaded during a repack
    /// left it needing one; nil when it did not need it. (What a repack cannot remove, such as
    /// unreachable objects younger than ``pruneExpiry``, starts no second repack of its own.)
    private func repackWhileNeeded() async throws -> RepackResult? {
        defer { repacking = false }
        var result: RepackResult?
        var downloads: Int?
        while downloads != statistics.downloads, needsRepack() {
            downloads = statistics.downloads
            result = try await repackIntoOnePack()
        }
        return result
    }

    /// Writes the objects of each small pack (but the largest pack) as loose objects, removes
    /// those packs and reopens the mirror's handle; nil when there were none. Costs about a
    /// millisecond for an image bump's five objects. A kill before a pack is removed leaves its
    /// objects twice, which is harmless.
    ///
    /// A repack running meanwhile reads what the references reached when it started, written
    /// before its start, and never needs these packs; should it lose a race with one (its walk
    /// finding an object in a pack removed meanwhile), it fails, changes nothing, and the next
    /// fetch repacks again.
    private func unpackSmallPacks() throws -> RepackResult? {
        let packs = repository.packSizes
        let small = packs.dropLast().filter { $0.objects < Self.unpackLimit }.map(\.name)
        guard !small.isEmpty else { return nil }
        var loose = countedLooseObjects()
        defer { looseObjects = loose }
        for name in small { loose += try repository.writeLooseObjects(of: name) }
        for name in small { Repository.removePack(name, in: folder) }
        try reopen()
        statistics.unpacks += small.count
        return RepackResult(packsUnpacked: small.count, packsBefore: packs.count, packsAfter: packs.count - small.count)
    }

    /// Packs every object the mirror's references reach into one pack, then removes what the
    /// new pack supersedes, unreachable objects an hour old included. See
    /// ``Repository/removeSuperseded(by:in:expiry:now:)`` for why a kill at any point loses
    /// nothing. Waits for the maintenance under way first.
    @discardableResult
    public func repack(with writer: PackWriter = .current) async throws -> RepackResult {
        while repacking { try await Task.sleep(for: .milliseconds(10)) }
        repacking = true
        defer { repacking = false }
        return try await repackIntoOnePack(with: writer)
    }

    private func repackIntoOnePack(with writer: PackWriter = .current) async throws -> RepackResult {
        do {
            let name = try await writer.writePack(inMirror: folder)
            try await holdWriterLock(signal: nil, operation: "repack \(folder)")
            defer { writerLock.release() }
            let result = try Repository.removeSuperseded(by: name, in: folder, expiry: Self.pruneExpiry)
            looseObjects = nil
            try reopen()
            statistics.repacks += 1
            return result
        } catch {
            statistics.failedRepacks += 1
            throw error
        }
    }

    /// Reopens the mirror's handle, so that libgit2 closes the pack files removed.
    private func reopen() throws {
        let reopened = try Repository.open(at: folder)
        reopened.displayName = repository.displayName
        repository = reopened
    }

    /// Packs and loose objects in the mirror now.
    public var objectFiles: (packs: Int, looseObjects: Int) { repository.objectFiles }

    /// Commits, on top of the remote's current `branch`, the content each of `paths` had at
    /// `source`, and pushes it: a "revert to revision" that keeps git the source of truth.
    ///
    /// - Returns: the pushed commit, or nil when every path already matched `source` on the branch.
    /// - Throws: `GitError`; `.pushRejected` when the branch moved meanwhile.
    public nonisolated func pushRestoring(
        _ paths: [String], to source: ObjectID, onBranch branch: String, message: String, author: Commit.Signature,
        options: NetworkOptions = NetworkOptions()
    ) async throws -> ObjectID? {
        let operation =
            "restore \(paths.map { "'\($0)'" }.joined(separator: ", ")) to \(source.short) on "
            + "\(options.address ?? remote) \(branch)"
        let signal = AbortSignal()
        return try await boundedInTime(options.timeout, signal: signal, operation: operation) {
            try await self.performRestore(
                paths, source: source, branch: branch, message: message, author: author, options: options,
                signal: signal,
                operation: operation)
        }
    }

    private func performRestore(
        _ paths: [String], source: ObjectID, branch: String, message: String, author: Commit.Signature,
        options: NetworkOptions, signal: AbortSignal, operation: String
    ) async throws -> ObjectID? {
        let remote = try address(options, operation)
        try await holdWriterLock(signal: signal, operation: operation)
        defer { writerLock.release() }
        return try restore(
            paths, source: source, branch: branch, message: message, author: author, options: options,
            session: RemoteSession(remote: remote, options: options, signal: signal, operation: operation))
    }

    /// ``pushRestoring(_:to:onBranch:message:author:options:)``'s writes, holding the writer lock.
    private func restore(
        _ paths: [String], source: ObjectID, branch: String, message: String, author: Commit.Signature,
        options: NetworkOptions, session: RemoteSession
    ) throws -> ObjectID? {
        let name = branch.hasPrefix("refs/heads/") ? String(branch.dropFirst("refs/heads/".count)) : branch
        // Each step retried on its own past a stale lock: a retry never repeats a push that landed.
        let commit = try pastStaleLocks(options) {
            // The full ref name makes the fetch accept only a branch, never a tag or a SHA.
            let tip = try repository.fetch("refs/heads/" + name, session: session).commit
            return try repository.commitRestoring(paths, from: source, onto: tip, message: message, author: author)
        }
        guard let commit else { return nil }
        // Its only local write comes before the remote is asked.
        try pastStaleLocks(options) { try repository.push(commit, toBranch: name, session: session) }
        try pastStaleLocks(options) {
            try repository.setReference("refs/remotes/origin/\(name)", to: commit, message: "keelson: push")
        }
        return commit
    }

    /// Waits for the writer lock without holding the mirror meanwhile: reads and renders of this
    /// mirror go on while another process writes it. Gives up when `signal` is raised.
    private func holdWriterLock(signal: AbortSignal?, operation: String) async throws {
        while try !writerLock.tryAcquire(operation: operation) {
            if let signal, signal.reason != .none {
                throw GitError(
                    operation: operation, kind: signal.reason == .timedOut ? .timedOut : .cancelled,
                    message: "another keelson process was still writing the mirror \(folder)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Runs `write` (holding the writer lock), and once more when it failed on a lock file: a
    /// process killed while it moved a reference left that file, and nobody else writes now.
    private func pastStaleLocks<T>(_ options: NetworkOptions, _ write: () throws -> T) throws -> T {
        do {
            return try write()
        } catch let error as GitError where error.code == GIT_ELOCKED.rawValue {
            let removed = writerLock.removeGitLockFiles()
            guard !removed.isEmpty else { throw error }
            statistics.staleLocksRemoved += removed.count
            options.staleLocksRemoved?(remote, removed)
            return try write()
        }
    }

    /// The address this call reaches the repository by.
    private nonisolated func address(_ options: NetworkOptions, _ operation: String) throws -> RemoteURL {
        guard let address = options.address else { return remote }
        guard address.canonicalKey == remote.canonicalKey else {
            throw GitError(
                operation: operation, kind: .other,
                message: "\(address) is another repository than the one this mirror holds (\(remote))")
        }
        return address
    }

    // MARK: Reading

    /// The commit a branch, tag, full ref or (abbreviated) SHA names in the mirror.
    public func resolve(_ revision: String) throws -> ObjectID {
        try repository.resolve(revision)
    }

    public func commit(_ id: ObjectID) throws -> Commit {
        try repository.commit(id)
    }

    /// Files under `path` (a folder, a file, or `""` for the root) at `commit`, without contents.
    public func files(under path: String, at commit: ObjectID) throws -> [TreeEntry] {
        try repository.files(under: path, at: commit)
    }

    /// Files under `path` at `commit`, with their bytes; symlinks read as the file they point to
    /// within the repository (an error when they lead outside it, to a folder, or nowhere).
    public func readFiles(under path: String, at commit: ObjectID) throws -> [GitFile] {
        try repository.readFiles(under: path, at: commit)
    }

    /// A blob's bytes.
    public func blob(_ id: ObjectID) throws -> [UInt8] {
        try repository.blob(id)
    }

    /// The id of the tree or blob at `path` in `commit`; nil when nothing is there.
    public func objectID(at path: String, in commit: ObjectID) throws -> ObjectID? {
        try repository.objectID(at: path, in: commit)
    }

    /// Paths under `path` that changed from `old` (nil: nothing) to `new`, renames detected.
    /// Costs two tree lookups when `path`'s subtree is unchanged.
    public func changedPaths(from old: ObjectID?, to new: ObjectID, under path: String) throws -> [ChangedPath] {
        let (changes, diffed) = try repository.changedPaths(from: old, to: new, under: path)
        if diffed { statistics.treeDiffs += 1 }
        return changes
    }

    /// The newest commit from `start` back that changed any of `paths`; nil when none did. Only
    /// the commits since the last answer for the same paths are walked, when `start` descends
    /// from where that one started: a daemon's renders cost the commits pushed since, not the
    /// repository's history.
    public func lastChange(touching paths: [String], from start: ObjectID) throws -> Commit? {
        let paths = paths.sorted()
        let (change, walked) = try repository.lastChange(touching: paths, from: start, after: lastChanges[paths])
        statistics.commitsWalked += walked
        if lastChanges.count >= Self.maximumRememberedChanges { lastChanges.removeAll() }
        lastChanges[paths] = (start, change)
        return change
    }

    /// Commits reachable from `start`, newest first, that changed `path` (all commits when nil).
    public func log(from start: ObjectID, touching path: String? = nil, limit: Int = 100) throws -> [Commit] {
        try repository.log(from: start, touching: path, limit: limit)
    }
}
