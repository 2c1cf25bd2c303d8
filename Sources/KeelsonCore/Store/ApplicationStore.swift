import Foundation
import GRDB

/// Keelson's own records in `<home>/keelson.sqlite` (WAL, one transaction per change), separate
/// from the simulated cluster's store: the applications, their status and their history.
public final class ApplicationStore: Sendable {
    let database: DurableDatabase
    /// The applications as last read, by name too.
    private let cachedApplications = VersionedCache<(list: [Application], byName: [String: Application])>()
    /// Status bodies decoded before: a pass over a thousand applications decodes only what changed.
    let decodedStatuses = DecodedCache<ApplicationStatus>()
    let decodedSources = DecodedCache<[String]>()
    /// Every application's sources as last read.
    let cachedSources = VersionedCache<[String: [String]]>()

    /// Opens `<home>/keelson.sqlite`, creating the folder, the file and its schema when missing.
    public init(home: String) throws {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        database = try DurableDatabase(path: (home as NSString).appendingPathComponent("keelson.sqlite"))
        var migrator = DatabaseMigrator()
        migrator.registerMigration("applications-v1") { db in
            try db.create(table: "application") { table in
                table.primaryKey("name", .text)
                table.column("body", .blob).notNull()
            }
        }
        migrator.registerMigration("records-v1") { db in
            try db.create(table: "applicationStatus") { table in
                table.primaryKey("name", .text)
                table.column("body", .blob).notNull()
            }
            try db.create(table: "history") { table in
                table.column("application", .text).notNull()
                table.column("id", .integer).notNull()
                table.column("body", .blob).notNull()
                table.primaryKey(["application", "id"])
            }
        }
        migrator.registerMigration("applications-version-v1") { db in
            try db.create(table: "applicationsVersion") { table in
                table.column("version", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO applicationsVersion (version) VALUES (0)")
        }
        // Each status's sources in a column of their own: a webhook matches its push against
        // every application's sources, and extracting them from every status body (3.2 MB at
        // 5,000 applications) cost SQLite 10 ms per push; the column reads in 1-2 ms.
        migrator.registerMigration("status-sources-v1") { db in
            try db.alter(table: "applicationStatus") { table in table.add(column: "sources", .blob) }
            try db.execute(sql: "UPDATE applicationStatus SET sources = json_extract(body, '$.sources')")
        }
        // Bumped whenever any application's sources change, by any process: a push reads them
        // again only then (they change when a render reads other files, not on every reconcile).
        migrator.registerMigration("sources-version-v1") { db in
            try db.create(table: "sourcesVersion") { table in table.column("version", .integer).notNull() }
            try db.execute(sql: "INSERT INTO sourcesVersion (version) VALUES (0)")
        }
        try database.migrate(migrator)
    }

    /// Checkpoints and truncates the store's WAL and gives its free pages back (see
    /// ``DurableDatabase/compact()``); the daemon does it every hour.
    @discardableResult
    public func compact() throws -> DurableDatabase.Compaction {
        try database.compact()
    }

    /// Every application, by name.
    public func applications() throws -> [Application] {
        try current().list
    }

    /// The application called `name`.
    ///
    /// - Throws: ``ApplicationError/notFound(_:)``.
    public func application(_ name: String) throws -> Application {
        guard let application = try current().byName[name] else { throw ApplicationError.notFound(name) }
        return application
    }

    /// A number that changes whenever an application is added, changed or removed, by any
    /// process: one read tells whether the list must be read again.
    public func applicationsVersion() throws -> Int {
        try database.read(VersionCounter.applications.read)
    }

    /// The applications, read again only when their version moved since the last read.
    private func current() throws -> (list: [Application], byName: [String: Application]) {
        try database.read(current)
    }

    /// The applications as of `db`.
    func current(_ db: Database) throws -> (list: [Application], byName: [String: Application]) {
        try cachedApplications.value(.applications, in: db) { db in
            let list = try Data.fetchAll(db, sql: "SELECT body FROM application ORDER BY name").map {
                try JSONDecoder().decode(Application.self, from: $0)
            }
            return (list, Dictionary(list.map { ($0.name, $0) }) { first, _ in first })
        }
    }

    /// Adds a new application.
    ///
    /// - Throws: ``ApplicationError/invalid(_:problems:)`` or ``ApplicationError/exists(_:)``; nothing is stored then.
    public func add(_ application: Application) throws {
        try check(application)
        try database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM application WHERE name = ?", arguments: [application.name])
                ?? false
            {
                throw ApplicationError.exists(application.name)
            }
            try Self.write(application, db)
        }
    }

    /// Stores `applications`, replacing those of the same names, all or none.
    ///
    /// - Returns: for each, whether it was created (true) or replaced (false).
    @discardableResult
    public func put(_ applications: [Application]) throws -> [Bool] {
        for application in applications { try check(application) }
        return try database.write { db in
            try applications.map { application in
                let existed =
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM application WHERE name = ?", arguments: [application.name]) ?? false
                try Self.write(application, db)
                return !existed
            }
        }
    }

    /// Changes an application in place.
    ///
    /// - Throws: ``ApplicationError/notFound(_:)`` or ``ApplicationError/invalid(_:problems:)``; nothing changes then.
    @discardableResult
    public func update(_ name: String, _ change: (inout Application) throws -> Void) throws -> Application {
        var application = try self.application(name)
        try change(&application)
        application.name = name
        try check(application)
        try database.write { try Self.write(application, $0) }
        return application
    }

    /// Removes an application with its status and history (its live objects stay where they are).
    ///
    /// - Throws: ``ApplicationError/notFound(_:)``.
    public func remove(_ name: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM application WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw ApplicationError.notFound(name) }
            try VersionCounter.applications.bump(db)
            try db.execute(sql: "DELETE FROM applicationStatus WHERE name = ?", arguments: [name])
            try VersionCounter.sources.bump(db)
            try db.execute(sql: "DELETE FROM history WHERE application = ?", arguments: [name])
        }
        decodedStatuses.forget(name)
        decodedSources.forget(name)
    }

    private func check(_ application: Application) throws {
        let problems = application.problems
        if !problems.isEmpty { throw ApplicationError.invalid(application.name, problems: problems) }
    }

    private static func write(_ application: Application, _ db: Database) throws {
        try VersionCounter.applications.bump(db)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try db.execute(
            sql: "INSERT OR REPLACE INTO application (name, body) VALUES (?, ?)",
            arguments: [application.name, try encoder.encode(application)])
    }
}

/// Why an application could not be stored or found.
public enum ApplicationError: Error, Sendable, Hashable, CustomStringConvertible {
    case notFound(String)
    case exists(String)
    case invalid(String, problems: [String])

    public var description: String {
        switch self {
        case .notFound(let name): "no application \"\(name)\"; see `keelson app list`"
        case .exists(let name): "application \"\(name)\" exists already; change it with `keelson app set \(name) …`"
        case .invalid(let name, let problems):
            "application \"\(name)\" is not valid:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }
}
