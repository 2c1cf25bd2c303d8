import GRDB
import KeelsonCore
import KeelsonTestSupport
import Testing

struct DurableDatabaseTests {
    /// Every commit is synced to disk (`synchronous = FULL` is 2) on the connection that writes:
    /// GRDB's WAL set-up lowers it to NORMAL, after any setting made while the connection opens.
    @Test func theWriterSyncsEveryCommit() throws {
        let folder = try TemporaryFolder()
        let database = try DurableDatabase.open(path: folder.appending("store.sqlite"))
        #expect(try database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(try database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }
}
