import Foundation
import GRDB

/// The reconciler's records: each application's status and history, written together in one
/// transaction so a crash never leaves a status pointing at a history entry that is not there.
extension ApplicationStore {
    /// The application's status; a fresh one when it was never reconciled.
    public func status(of name: String) throws -> ApplicationStatus {
        try database.read { db in
            guard
                let body = try Data.fetchOne(
                    db, sql: "SELECT body FROM applicationStatus WHERE name = ?", arguments: [name])
            else { return ApplicationStatus() }
            return try decodedStatuses.value(name, body: body) { try Self.decode(ApplicationStatus.self, from: $0) }
        }
    }

    /// Every application's status, by name (those never reconciled are absent).
    public func statuses() throws -> [String: ApplicationStatus] {
        try database.read { db in
            var statuses: [String: ApplicationStatus] = [:]
            // A cursor, columns by position: copying each row and looking its columns up by
            // name cost more than the rest of the read.
            let rows = try Row.fetchCursor(db, sql: "SELECT name, body FROM applicationStatus")
            while let row = try rows.next() {
                let name: String = row[0]
                statuses[name] = try decodedStatuses.value(name, body: row[1]) {
                    try Self.decode(ApplicationStatus.self, from: $0)
                }
            }
            return statuses
        }
    }

    /// What each application's last render read (its status' `sources`), by name; those never
    /// rendered are absent. Read again only when `sourcesVersion` moved: a push to a monorepo
    /// asks for all of them.
    public func sources() throws -> [String: [String]] {
        try database.read { db in
            try cachedSources.value(.sources, in: db) { db in
                var sources: [String: [String]] = [:]
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT name, sources FROM applicationStatus WHERE sources IS NOT NULL")
                while let row = try rows.next() {
                    let name: String = row[0]
                    sources[name] = try decodedSources.value(name, body: row[1]) {
                        try JSONDecoder().decode([String].self, from: $0)
                    }
                }
                return sources
            }
        }
    }

    /// The application's history, newest first.
    public func history(of name: String, limit: Int = 1000) throws -> [HistoryEntry] {
        try database.read { db in
            try Data.fetchAll(
                db, sql: "SELECT body FROM history WHERE application = ? ORDER BY id DESC LIMIT ?",
                arguments: [name, limit]
            ).map { try Self.decode(HistoryEntry.self, from: $0) }
        }
    }

    /// The application's entry `id`, if it is kept.
    public func historyEntry(of name: String, id: Int) throws -> HistoryEntry? {
        try database.read { db in
            try Data.fetchOne(
                db, sql: "SELECT body FROM history WHERE application = ? AND id = ?", arguments: [name, id]
            ).map { try Self.decode(HistoryEntry.self, from: $0) }
        }
    }

    /// The entries still `Running`, newest first: the live one, and any that a crash left behind
    /// before their status was written (only stores written by earlier builds can have those).
    public func runningEntries(of name: String) throws -> [HistoryEntry] {
        try database.read { db in
            try Data.fetchAll(
                db,
                sql: """
                    SELECT body FROM history WHERE application = ? AND json_extract(body, '$.outcome') = ?
                    ORDER BY id DESC
                    """,
                arguments: [name, HistoryEntry.Outcome.running.rawValue]
            ).map { try Self.decode(HistoryEntry.self, from: $0) }
        }
    }

    /// The id the application's next new entry gets. Only the holder of the application's
    /// ``ApplicationLock`` adds entries, so the id stays free until that holder records one: an
    /// entry and the status naming it (as its current entry, in a pin) can be written together.
    public func nextHistoryID(of name: String) throws -> Int {
        try database.read { db in try Self.nextHistoryID(of: name, db) }
    }

    private static func nextHistoryID(of name: String, _ db: Database) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM history WHERE application = ?", arguments: [name]) ?? 1
    }

    /// Saves `entries` and, when given, the status, all or nothing. Entries with id 0 are added
    /// with the application's next id; an entry with an id not stored yet (from
    /// ``nextHistoryID(of:)``) is added with it; the others are updated. The application must exist.
    /// Adding an entry drops the oldest beyond the application's history limit, as `dropHistory` says.
    ///
    /// - Returns: the entries as stored, with their ids.
    @discardableResult
    public func record(_ name: String, status: ApplicationStatus? = nil, history entries: [HistoryEntry] = [])
        throws -> [HistoryEntry]
    {
        try database.write { db in
            guard let application = try current(db).byName[name] else { throw ApplicationError.notFound(name) }
            let next = try Self.nextHistoryID(of: name, db)
            let stored = try entries.map { entry in
                var entry = entry
                if entry.id == 0 { entry.id = try Self.nextHistoryID(of: name, db) }
                try db.execute(
                    sql: """
                        INSERT INTO history (id, application, body) VALUES (?, ?, ?)
                        ON CONFLICT (application, id) DO UPDATE SET body = excluded.body
                        """,
                    arguments: [entry.id, name, try Self.encode(entry)])
                return entry
            }
            if stored.contains(where: { $0.id >= next }) {
                try Self.dropHistory(
                    of: name, beyond: application.historyLimit ?? Application.defaultHistoryLimit,
                    status: try status ?? Self.status(of: name, db), db)
            }
            if let status {
                let sources = try status.sources.map { try JSONEncoder().encode($0) }
                let previous = try Data.fetchOne(
                    db, sql: "SELECT sources FROM applicationStatus WHERE name = ?", arguments: [name])
                try db.execute(
                    sql: "INSERT OR REPLACE INTO applicationStatus (name, body, sources) VALUES (?, ?, ?)",
                    arguments: [name, try Self.encode(status), sources])
                if sources != previous { try VersionCounter.sources.bump(db) }
            }
            return stored
        }
    }

    /// Drops the application's entries older than its newest `limit`, keeping those that the status
    /// refers to (the live entry, the pinned one) and the newest successful entry of another commit
    /// before the live one: where a rollback, by hand or automatic, goes back to.
    private static func dropHistory(of name: String, beyond limit: Int, status: ApplicationStatus, _ db: Database)
        throws
    {
        guard
            let oldestKept = try Int.fetchOne(
                db, sql: "SELECT id FROM history WHERE application = ? ORDER BY id DESC LIMIT 1 OFFSET ?",
                arguments: [name, limit - 1])
        else { return }
        var kept = [status.currentHistoryID, status.pin?.historyID].compactMap { $0 }
        if let live = status.currentHistoryID,
            let revision = try String.fetchOne(
                db, sql: "SELECT json_extract(body, '$.revision') FROM history WHERE application = ? AND id = ?",
                arguments: [name, live]),
            let target = try Int.fetchOne(
                db,
                sql: """
                    SELECT id FROM history WHERE application = ? AND id < ?
                    AND json_extract(body, '$.outcome') = ? AND json_extract(body, '$.revision') != ?
                    ORDER BY id DESC LIMIT 1
                    """,
                arguments: [name, live, HistoryEntry.Outcome.succeeded.rawValue, revision])
        {
            kept.append(target)
        }
        try db.execute(
            sql: """
                DELETE FROM history WHERE application = ? AND id < ?
                AND id NOT IN (SELECT value FROM json_each(?))
                """,
            arguments: [name, oldestKept, String(decoding: try JSONEncoder().encode(kept), as: UTF8.self)])
    }

    private static func status(of name: String, _ db: Database) throws -> ApplicationStatus {
        try Data.fetchOne(db, sql: "SELECT body FROM applicationStatus WHERE name = ?", arguments: [name]).map {
            try decode(ApplicationStatus.self, from: $0)
        } ?? ApplicationStatus()
    }

    /// ISO 8601 with milliseconds, so history durations survive the round trip.
    private static let preciseDates = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// How Keelson writes dates, in the store and in `-o json`.
    public static let dateEncoding = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(date.formatted(preciseDates))
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = (try? Date(text, strategy: preciseDates)) ?? (try? Date(text, strategy: .iso8601)) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: text))
            }
            return date
        }
        return try decoder.decode(type, from: data)
    }

    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = dateEncoding
        return try encoder.encode(value)
    }
}
