import Foundation
import GRDB
import KeelsonCore
import KeelsonTestSupport
import Testing

struct DurableDatabaseTests {
    /// Every commit is synced to disk (`synchronous = FULL` is 2) on the connection that writes:
    /// GRDB's WAL set-up lowers it to NORMAL, after any setting made while the connection opens.
    @Test func theWriterSyncsEveryCommit() throws {
        let folder = try TemporaryFolder()
        let database = try DurableDatabase(path: folder.appending("store.sqlite"))
        #expect(try database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(try database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }
}

/// Months of writes and deletes leave files no larger than what they hold.
struct DatabaseCompactionTests {
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    static func fill(_ database: DurableDatabase) throws {
        try database.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS row (body BLOB NOT NULL)")
            for _ in 0..<2000 { try db.execute(sql: "INSERT INTO row VALUES (zeroblob(4000))") }
        }
        try database.write { db in try db.execute(sql: "DELETE FROM row") }
    }

    @Test func deletedPagesAndTheWALAreGivenBack() throws {
        let folder = try TemporaryFolder()
        let path = folder.appending("store.sqlite")
        let database = try DurableDatabase(path: path)
        try Self.fill(database)
        #expect(try database.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") } == 2)
        let before = Self.fileSize(path)
        let compaction = try database.compact()
        #expect(compaction.freedPages > 1500)
        #expect(!compaction.vacuumed)
        #expect(Self.fileSize(path) < before / 20)
        #expect(Self.fileSize(path + "-wal") == 0)
    }

    /// A database made before incremental vacuum is rewritten once, and frees incrementally after.
    @Test func anOlderDatabaseIsRewrittenOnceWhenMostlyFree() throws {
        let folder = try TemporaryFolder()
        let path = folder.appending("store.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE row (body BLOB NOT NULL)")
        }
        let database = try DurableDatabase(path: path)
        #expect(try database.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") } == 0)
        try Self.fill(database)
        let compaction = try database.compact()
        #expect(compaction.vacuumed)
        #expect(try database.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") } == 2)
        #expect(Self.fileSize(path) < 100_000)
    }
}
