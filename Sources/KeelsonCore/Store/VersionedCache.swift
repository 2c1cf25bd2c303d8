import GRDB
import Synchronization

/// A counter in the store that every change to what it counts bumps, in the same transaction,
/// whichever process makes it: one read tells whether a cached reading is still current.
enum VersionCounter: String {
    /// Applications added, changed or removed.
    case applications = "applicationsVersion"
    /// Any application's sources changed (a render read other files), or one removed.
    case sources = "sourcesVersion"

    func read(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT version FROM \(rawValue)") ?? 0
    }

    func bump(_ db: Database) throws {
        try db.execute(sql: "UPDATE \(rawValue) SET version = version + 1")
    }
}

/// A value read from the store, kept with the version of its counter at that read, and read
/// again only when the counter has moved.
final class VersionedCache<Value: Sendable>: Sendable {
    private let cached = Mutex<(version: Int, value: Value)?>(nil)

    /// The value as of `counter`'s version in `db`: the kept one when that version has not
    /// moved, else `read(db)`, kept.
    func value(_ counter: VersionCounter, in db: Database, read: (Database) throws -> Value) throws -> Value {
        let version = try counter.read(db)
        if let cached = cached.withLock({ $0 }), cached.version == version { return cached.value }
        let value = try read(db)
        cached.withLock { $0 = (version, value) }
        return value
    }
}
