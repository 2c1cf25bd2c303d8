import GRDB

/// How Keelson opens every SQLite store it owns, so that all of them keep the same promises:
/// WAL (readers never block the writer), `synchronous = FULL` (a change is on disk when its
/// transaction returns, even across power loss), a short wait for another process's lock, and
/// files that stay bounded over months of writes.
public enum DurableDatabase {
    /// The size SQLite cuts the WAL file back to after a checkpoint: without a limit the file
    /// keeps the size of the largest burst of writes that ever went between two checkpoints.
    static let walSizeLimit = 4 << 20

    /// Opens or creates the database at `path`. A new database frees deleted pages incrementally
    /// (`auto_vacuum = INCREMENTAL`), so ``compact(_:)`` can give them back to the file system.
    public static func open(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_size_limit = \(walSizeLimit)")
            // Before GRDB turns WAL on: a new database keeps the setting only when it is made
            // before its first page is written (an older one gets it at its next VACUUM).
            // Only then: on an existing file the setting waits for the write lock.
            if !db.configuration.readonly, try Int.fetchOne(db, sql: "PRAGMA page_count") == 0 {
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // Set on the writer once the pool is open: GRDB's WAL set-up runs after
        // `prepareDatabase` and sets `synchronous = NORMAL` there (a commit would then reach the
        // disk only at the next checkpoint).
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        return pool
    }

    /// What ``compact(_:)`` did.
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
    public static func compact(_ pool: DatabasePool) throws -> Compaction {
        try pool.writeWithoutTransaction { db in
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
