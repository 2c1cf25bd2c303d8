import GRDB

/// How Keelson opens every SQLite store it owns, so that all of them keep the same promises:
/// WAL (readers never block the writer), `synchronous = FULL` (a change is on disk when its
/// transaction returns, even across power loss) and a short wait for another process's lock.
public enum DurableDatabase {
    /// Opens or creates the database at `path`.
    public static func open(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        // Set on the writer once the pool is open: GRDB's WAL set-up runs after
        // `prepareDatabase` and sets `synchronous = NORMAL` there (a commit would then reach the
        // disk only at the next checkpoint).
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        return pool
    }
}
