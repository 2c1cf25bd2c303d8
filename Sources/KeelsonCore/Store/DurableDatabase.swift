import Foundation
import GRDB

/// One of the SQLite stores Keelson owns, opened so that all of them keep the same promises:
/// WAL (readers never block the writer), `synchronous = FULL` (a change is on disk when its
/// transaction returns, even across power loss), a short wait for another process's lock, files
/// that stay bounded over months of writes, and errors that say when the disk is full.
///
/// On a full disk SQLite cannot even open a database in WAL mode (it must make the
/// shared-memory file). When the WAL holds nothing, the file alone is the whole database, and it
/// is opened read-only instead: `status` and `history` still work, and every write says what is
/// wrong (``StorageUnavailable``).
public final class DurableDatabase: Sendable {
    /// The size SQLite cuts the WAL file back to after a checkpoint: without a limit the file
    /// keeps the size of the largest burst of writes that ever went between two checkpoints.
    static let walSizeLimit = 4 << 20

    public let path: String
    /// Opened read-only because the disk holding it is full.
    public let readOnly: Bool
    private let writer: any DatabaseWriter

    /// Opens or creates the database at `path`. A new database frees deleted pages incrementally
    /// (`auto_vacuum = INCREMENTAL`), so ``compact()`` can give them back to the file system.
    ///
    /// - Throws: ``StorageUnavailable`` when the disk or the open files ran out (and the database
    ///   cannot be read without writing), else SQLite's error.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_size_limit = \(Self.walSizeLimit)")
            // Before GRDB turns WAL on: a new database keeps the setting only when it is made
            // before its first page is written (an older one gets it at its next VACUUM). Only
            // then: on an existing file the setting waits for the write lock.
            if !db.configuration.readonly, try Int.fetchOne(db, sql: "PRAGMA page_count") == 0 {
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            }
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // Set on the writer once the pool is open: GRDB's WAL set-up runs after
            // `prepareDatabase` and sets `synchronous = NORMAL` there (a commit would then reach
            // the disk only at the next checkpoint).
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            writer = pool
            readOnly = false
        } catch {
            let folder = (path as NSString).deletingLastPathComponent
            guard let cause = ResourceExhaustion.cause(of: error, home: folder) else { throw error }
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            guard cause == .diskSpace, wal == 0, FileManager.default.fileExists(atPath: path) else {
                throw StorageUnavailable(cause: cause, path: path)
            }
            var readOnly = Configuration()
            readOnly.readonly = true
            let address = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            writer = try DatabaseQueue(path: "file:\(address)?immutable=1", configuration: readOnly)
            self.readOnly = true
        }
    }

    /// Runs `body` on a snapshot of the database.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try explained { try writer.read(body) }
    }

    /// Runs `body` in one transaction: all of it is saved, or none.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        try writable()
        return try explained { try writer.write(body) }
    }

    /// Runs `body` outside a transaction, holding the writer.
    public func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try writable()
        return try explained { try writer.writeWithoutTransaction(body) }
    }

    /// Brings the schema to `migrator`'s last migration. Checked by a read first: migrating takes
    /// the write lock, which another process may hold for a while, even when there is nothing to do.
    public func migrate(_ migrator: DatabaseMigrator) throws {
        if try !read(migrator.hasCompletedMigrations) {
            try writable()
            try explained { try migrator.migrate(writer) }
        }
    }

    private func writable() throws {
        if readOnly { throw StorageUnavailable(cause: .diskSpace, path: path) }
    }

    /// `body`'s error, as ``StorageUnavailable`` when a resource running out caused it.
    private func explained<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            guard let cause = ResourceExhaustion.cause(of: error, home: (path as NSString).deletingLastPathComponent)
            else { throw error }
            throw StorageUnavailable(cause: cause, path: path)
        }
    }

    /// What ``compact()`` did.
    public struct Compaction: Sendable, Hashable {
        /// Free pages given back to the file system.
        public var freedPages: Int
        /// The database was rewritten (an older one, made before incremental vacuum, with more
        /// than a quarter of its pages free).
        public var vacuumed: Bool
    }

    /// Checkpoints the WAL into the database and truncates it, then gives free pages back to the
    /// file system. Waits for the write lock like any writer; readers go on meanwhile.
    @discardableResult
    public func compact() throws -> Compaction {
        try writeWithoutTransaction { db in
            let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            var compaction = Compaction(freedPages: 0, vacuumed: false)
            if try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") == 2 {
                try db.execute(sql: "PRAGMA incremental_vacuum")
                compaction.freedPages = free
            } else if free > 256 && free * 4 > pages {
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                try db.execute(sql: "VACUUM")
                compaction = Compaction(freedPages: free, vacuumed: true)
            }
            try db.checkpoint(.truncate)
            return compaction
        }
    }
}
