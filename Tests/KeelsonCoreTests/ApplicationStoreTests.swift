import Foundation
import GRDB
import KeelsonCore
import KeelsonTestSupport
import Testing

struct ApplicationStoreTests {
    static let web = Application(name: "web", repository: "git@github.com:acme/deploy.git", path: "apps/web")

    @Test func applicationsArePersistedInKeelsonSqlite() throws {
        let home = try TemporaryFolder()
        try ApplicationStore(home: home.path).add(Self.web)
        #expect(FileManager.default.fileExists(atPath: home.appending("keelson.sqlite")))
        #expect(try ApplicationStore(home: home.path).applications() == [Self.web])
        #expect(try ApplicationStore(home: home.path).application("web").syncPolicy.autoRollback)
    }

    @Test func aStoredAddressIsShownWithoutItsToken() throws {
        let application = Application(
            name: "web", repository: "https://deployer:s3cr3t@git.example.com/acme/deploy.git", path: "apps/web")
        #expect(application.shownRepository == "https://deployer:***@git.example.com/acme/deploy.git")
        let view = String(
            decoding: try ApplicationView.json(ApplicationView(application, status: .init())), as: UTF8.self)
        #expect(!view.contains("s3cr3t"))
        #expect(application.problems.contains { $0.hasPrefix("repository: https://deployer:***@") })
    }

    @Test func addingTwiceIsRefusedAndKeepsTheFirst() throws {
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        try store.add(Self.web)
        var other = Self.web
        other.path = "apps/other"
        #expect(throws: ApplicationError.exists("web")) { try store.add(other) }
        #expect(try store.application("web").path == "apps/web")
    }

    @Test func everyProblemIsNamedAndNothingIsStored() throws {
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        let bad = Application(
            name: "Web_1", repository: "ftp://host/repo", revision: " ", path: "../secrets",
            destination: .init(driver: "kubernetes", namespace: "Prod"), syncPolicy: .init(intervalSeconds: 0))
        let error = #expect(throws: ApplicationError.self) { try store.add(bad) }
        guard case .invalid(_, let problems)? = error else { return }
        #expect(
            problems.map { $0.prefix(while: { $0 != ":" }) } == [
                "name", "repository", "revision", "path", "namespace", "destination", "interval",
            ])
        #expect(try store.applications().isEmpty)
    }

    @Test func updateChangesOnlyWhatIsAskedAndValidates() throws {
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        try store.add(Self.web)
        try store.update("web") { $0.syncPolicy.selfHeal = true }
        #expect(try store.application("web").syncPolicy.selfHeal)
        #expect(throws: ApplicationError.self) { try store.update("web") { $0.path = "/abs" } }
        #expect(try store.application("web").path == "apps/web")
        #expect(throws: ApplicationError.notFound("nope")) { try store.update("nope") { _ in } }
    }

    @Test func putIsAllOrNothing() throws {
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        var broken = Self.web
        broken.name = "api"
        broken.repository = ""
        #expect(throws: ApplicationError.self) { try store.put([Self.web, broken]) }
        #expect(try store.applications().isEmpty)
        #expect(try store.put([Self.web]) == [true])
        #expect(try store.put([Self.web]) == [false])
    }

    @Test func removingForgetsAndNamesMissingOnes() throws {
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        try store.add(Self.web)
        try store.remove("web")
        #expect(try store.applications().isEmpty)
        #expect(throws: ApplicationError.notFound("web")) { try store.remove("web") }
    }

    /// Records are decoded once and reused while their bytes are unchanged; a change made through
    /// another store (another process) is still read.
    @Test func recordsChangedElsewhereAreReadAgain() throws {
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        let other = try ApplicationStore(home: home.path)
        try store.add(Self.web)
        var status = ApplicationStatus()
        status.message = "first"
        try store.record("web", status: status)
        #expect(try store.statuses()["web"]?.message == "first")
        #expect(try store.status(of: "web").message == "first")

        status.message = "second"
        try other.record("web", status: status)
        #expect(try store.statuses()["web"]?.message == "second")
        #expect(try store.status(of: "web").message == "second")
        let version = try store.applicationsVersion()
        _ = try other.update("web") { $0.path = "apps/web-2" }
        #expect(try store.applicationsVersion() != version)
        #expect(try store.applications().first?.path == "apps/web-2")
        #expect(try store.application("web").path == "apps/web-2")
    }

    @Test func sourcesAreReadWithoutTheRestOfTheStatus() throws {
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        var api = Self.web
        api.name = "api"
        try store.put([Self.web, api])
        var status = ApplicationStatus()
        status.sources = ["apps/web", "bases/common"]
        try store.record("web", status: status)
        try store.record("api", status: ApplicationStatus())
        #expect(try store.sources() == ["web": ["apps/web", "bases/common"]])
        status.sources = ["apps/web"]
        try ApplicationStore(home: home.path).record("web", status: status)
        #expect(try store.sources() == ["web": ["apps/web"]])
        // Sources given for the first time, and an application removed, through other stores.
        status.sources = ["apps/api"]
        try ApplicationStore(home: home.path).record("api", status: status)
        #expect(try store.sources() == ["web": ["apps/web"], "api": ["apps/api"]])
        try ApplicationStore(home: home.path).remove("web")
        #expect(try store.sources() == ["api": ["apps/api"]])
    }

    /// Entries beyond the limit go, oldest first, except what the status and a rollback need:
    /// the live entry, the pinned one, and the newest success of another commit before the live one.
    @Test func historyIsKeptUpToTheLimitAndWhatRollbacksNeed() throws {
        let home = try TemporaryFolder()
        let store = try ApplicationStore(home: home.path)
        var web = Self.web
        web.historyLimit = 3
        try store.add(web)
        func entry(_ revision: String, _ outcome: HistoryEntry.Outcome) -> HistoryEntry {
            HistoryEntry(
                revision: revision, subject: revision, author: "a", path: "apps/web", startedAt: Date(),
                initiator: .auto, outcome: outcome)
        }
        var status = ApplicationStatus()
        for (id, revision) in zip(1...7, ["a", "b", "c", "c", "c", "c", "c"]) {
            status.currentHistoryID = id
            if id == 1 {
                status.pin = Pin(commit: "a", historyID: 1, reason: "rollback", branchCommit: "c", since: Date())
            }
            try store.record("web", status: status, history: [entry(revision, .succeeded)])
        }
        status.currentHistoryID = 8
        try store.record("web", status: status, history: [entry("c", .running)])
        #expect(try store.history(of: "web").map(\.id) == [8, 7, 6, 2, 1])

        // Updating an entry adds none, so drops none.
        var live = try #require(try store.history(of: "web").first)
        live.outcome = .failed
        status.pin = nil
        try store.record("web", status: status, history: [live])
        #expect(try store.history(of: "web").map(\.id) == [8, 7, 6, 2, 1])

        // The next entry, of another commit, drops what the pin held and the old rollback target:
        // a rollback from it goes back to #7 now.
        status.currentHistoryID = 9
        try store.record("web", status: status, history: [entry("d", .running)])
        #expect(try store.history(of: "web").map(\.id) == [9, 8, 7])
    }

    @Test func aHistoryLimitBelowOneIsRefused() throws {
        var web = Self.web
        web.historyLimit = 0
        #expect(web.problems == ["history limit: expected at least 1 entry, found 0"])
    }

    /// A store written before sources had a column of their own finds them in its statuses.
    @Test func sourcesOfStatusesWrittenBeforeTheirColumnAreMovedIntoIt() throws {
        let home = try TemporaryFolder()
        try DatabaseQueue(path: home.appending("keelson.sqlite")).write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('applications-v1'), ('records-v1'), ('applications-version-v1');
                    CREATE TABLE application (name TEXT NOT NULL PRIMARY KEY, body BLOB NOT NULL);
                    CREATE TABLE applicationStatus (name TEXT NOT NULL PRIMARY KEY, body BLOB NOT NULL);
                    CREATE TABLE history (application TEXT NOT NULL, id INTEGER NOT NULL, body BLOB NOT NULL,
                        PRIMARY KEY (application, id));
                    CREATE TABLE applicationsVersion (version INTEGER NOT NULL);
                    INSERT INTO applicationsVersion VALUES (0);
                    """)
            var status = ApplicationStatus()
            status.sources = ["apps/web", "bases/common"]
            try db.execute(
                sql: "INSERT INTO applicationStatus (name, body) VALUES ('web', ?), ('api', ?)",
                arguments: [try JSONEncoder().encode(status), try JSONEncoder().encode(ApplicationStatus())])
        }
        let store = try ApplicationStore(home: home.path)
        #expect(try store.sources() == ["web": ["apps/web", "bases/common"]])
        #expect(try store.status(of: "web").sources == ["apps/web", "bases/common"])
    }
}
