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
        public var receivedBytes = 0
        /// Full repacks and roll-ups of small packs done, and those that failed (the mirror
        /// stays as it was then).
        public var repacks = 0
        public var rollUps = 0
        public var failedRepacks = 0
    }

    /// A fetch that leaves more loose objects than this starts a roll-up even when the packs are
    /// in progression.
    public static let maximumLooseObjects = 200
    /// Unreachable objects, and files of a killed pack write, are removed once this old.
    public static let pruneExpiry: TimeInterval = 3600

    public nonisolated let remote: RemoteURL
    /// The bare repository's folder.
    public nonisolated let folder: String
    /// Reopened after a repack, so that libgit2 lets go of the packs removed.
    private var repository: Repository
    /// A repack is under way.
    private var maintaining = false
    private nonisolated let executor: DispatchQueueExecutor
    public private(set) var statistics = Statistics()

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(remote: RemoteURL, folder: String, repository: sending Repository) {
        self.remote = remote
        self.folder = folder
        repository.displayName = "the mirror of \(remote) (fetch it first)"
        self.repository = repository
        self.executor = DispatchQueueExecutor(label: "keelson.git.\(remote.canonicalKey)")
    }

    // MARK: Network

    /// Brings `revision` (branch, tag or SHA) up to date from the remote. Asks the remote first
    /// and downloads nothing when the ref has not moved.
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
        throws -> FetchResult
    {
        let session = RemoteSession(
            remote: try address(options, operation), options: options, signal: signal, operation: operation)
        statistics.refListings += 1
        let result = try repository.fetch(revision, session: session)
        if result.downloaded {
            statistics.downloads += 1
            statistics.receivedBytes += result.receivedBytes
            if !maintaining {
                maintaining = true
                // After this fetch returns, not as part of it.
                let observer = options.maintenance
                Task.detached { [self] in
                    do {
                        if let result = try await self.maintain() { observer?(self.remote, .success(result)) }
                    } catch {
                        observer?(self.remote, .failure(error))
                    }
                }
            }
        }
        return result
    }

    // MARK: Maintenance

    /// What every downloading fetch starts in the background: rolls up the small packs so that
    /// the packs stay in geometric progression (``Repository/geometricRollUp(_:factor:)``), with
    /// the loose objects; when the roll-up would take every pack, a full ``repack()`` instead.
    ///
    /// - Returns: nil when nothing needed doing.
    @discardableResult
    public func maintain() async throws -> RepackResult? {
        maintaining = true
        defer { maintaining = false }
        let packs = repository.packSizes
        let split = Repository.geometricRollUp(packs.map(\.objects))
        if split == packs.count, split > 0 { return try await repackIntoOnePack() }
        guard split >= 2 || repository.objectFiles.looseObjects > Self.maximumLooseObjects else { return nil }
        let rolledUp = packs.prefix(split).map(\.name)
        return try await counting(\.rollUps) {
            try await writePack(from: folder) { try $0.writePack(combining: rolledUp) }
        } remove: { name in
            try removeSuperseded(by: name, rolledUp: Set(rolledUp))
        }
    }

    /// Packs every object the mirror's references reach into one pack, then removes what the
    /// new pack supersedes, unreachable objects an hour old included. See
    /// ``Repository/removeSuperseded(by:in:expiry:now:rolledUp:)`` for why a kill at any point
    /// loses nothing.
    @discardableResult
    public func repack() async throws -> RepackResult {
        maintaining = true
        defer { maintaining = false }
        return try await repackIntoOnePack()
    }

    private func repackIntoOnePack() async throws -> RepackResult {
        try await counting(\.repacks) {
            try await writePack(from: folder) { try $0.writePackOfReachableObjects() }
        } remove: { name in
            var result = try removeSuperseded(by: name, rolledUp: nil)
            result.full = true
            return result
        }
    }

    /// Runs `write`, then `remove` with the name of the pack written, counting the run in
    /// `counter` or in `failedRepacks`.
    private func counting(
        _ counter: WritableKeyPath<Statistics, Int>, write: () async throws -> String,
        remove: (String) throws -> RepackResult
    ) async throws -> RepackResult {
        do {
            let result = try remove(try await write())
            statistics[keyPath: counter] += 1
            return result
        } catch {
            statistics.failedRepacks += 1
            throw error
        }
    }

    /// Runs `write` on a thread and a libgit2 handle of their own, so that the mirror's fetches
    /// and reads go on meanwhile (a handle is used by one thread at a time).
    private nonisolated func writePack(from folder: String, _ write: @escaping @Sendable (Repository) throws -> String)
        async throws -> String
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                let written = Result { try write(Repository.open(at: folder)) }
                // The pack builder's memory, freed on this thread, back to the system.
                ProcessHeap.trim()
                continuation.resume(with: written)
            }
        }
    }

    /// Removes what the pack `name` supersedes and reopens the mirror's handle, so that libgit2
    /// closes the files removed.
    private func removeSuperseded(by name: String, rolledUp: Set<String>?) throws -> RepackResult {
        let result = try Repository.removeSuperseded(
            by: name, in: folder, expiry: Self.pruneExpiry, rolledUp: rolledUp)
        let reopened = try Repository.open(at: folder)
        reopened.displayName = repository.displayName
        repository = reopened
        return result
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
    ) throws -> ObjectID? {
        let session = RemoteSession(
            remote: try address(options, operation), options: options, signal: signal, operation: operation)
        let name = branch.hasPrefix("refs/heads/") ? String(branch.dropFirst("refs/heads/".count)) : branch
        // The full ref name makes the fetch accept only a branch, never a tag or a SHA.
        let tip = try repository.fetch("refs/heads/" + name, session: session).commit
        guard
            let commit = try repository.commitRestoring(
                paths, from: source, onto: tip, message: message, author: author)
        else { return nil }
        try repository.push(commit, toBranch: name, session: session)
        return commit
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

    /// Commits reachable from `start`, newest first, that changed `path` (all commits when nil).
    public func log(from start: ObjectID, touching path: String? = nil, limit: Int = 100) throws -> [Commit] {
        try repository.log(from: start, touching: path, limit: limit)
    }
}
