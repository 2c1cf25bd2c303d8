import Foundation
import GRDB
import KeelsonCore
import KeelsonKubernetes

/// The simulated cluster's SQLite file, in WAL mode: one row per Deployment, ReplicaSet and pod, the
/// events, and the clock, faults and pod serial. Every change is one transaction, so a crash at any
/// point leaves the cluster as it was before or after that change, never between.
final class ClusterStore: Sendable {
    /// What the store holds, events aside, and its revision: the number of changes saved.
    struct Contents: Sendable {
        var cluster: SimCluster
        var plainObjects: [ObjectKey: StoredObject]
        var revision: Int
    }

    /// A change being computed from the stored contents: the cluster and plain objects it leaves,
    /// and the events it adds.
    struct Change {
        var cluster: SimCluster
        var plainObjects: [ObjectKey: StoredObject]
        var events: [KeelsonKubernetes.Event] = []
        /// The revision of the contents this change starts from.
        var baseRevision = 0
    }

    private let database: DurableDatabase
    /// Only the newest events are kept, as an API server keeps them for a while only: a rollout of
    /// 10,000 Deployments makes some 200,000.
    static let eventsKept = 10_000
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // Keys unsorted: rows are compared as values, never as bytes, and sorting cost a sixth of
        // saving a rollout.
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    /// Opens the store at `path`, creating it and its schema when missing.
    init(path: String) throws {
        database = try DurableDatabase(path: path)
        try database.migrate(Self.migrator)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("cluster-v1") { db in
            try db.create(table: "object") { table in
                table.column("kind", .text).notNull()
                table.column("namespace", .text).notNull()
                table.column("name", .text).notNull()
                table.column("body", .blob).notNull()
                table.primaryKey(["kind", "namespace", "name"])
            }
            try db.create(table: "event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("body", .blob).notNull()
            }
            try db.create(table: "setting") { table in
                table.primaryKey("key", .text)
                table.column("value", .blob).notNull()
            }
            try db.create(table: "plainObject") { table in
                table.primaryKey("key", .text)
                table.column("body", .blob).notNull()
            }
        }
        migrator.registerMigration("cluster-v2-kubernetes-objects", migrate: LegacyRows.storeAsKubernetesJSON)
        migrator.registerMigration("cluster-v3-api-objects", migrate: LegacyRows.storeAsAPIObjects)
        return migrator
    }

    /// The stored contents, read in one transaction.
    func load() throws -> Contents {
        try database.read(Self.contents)
    }

    /// The store's revision now, read alone: cheap enough to ask before every use of a snapshot.
    func revision() throws -> Int {
        try database.read(Self.revision)
    }

    private static func contents(_ db: Database) throws -> Contents {
        Contents(cluster: try cluster(db), plainObjects: try plainObjects(db), revision: try revision(db))
    }

    private static func revision(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'revision'") ?? 0
    }

    private static func cluster(_ db: Database) throws -> SimCluster {
        let setting = { (key: String) in
            try Data.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
        }
        let empty = SimCluster()
        var lastStatus: PodStatus?
        let replicaSets = try rows(ReplicaSet.self, db) { json throws(APIFieldError) in try ReplicaSet(json: json) }
        let replicaSetsByName = Dictionary(
            replicaSets.map { (OwnerName(namespace: $0.namespace, name: $0.name), $0) }, uniquingKeysWith: { $1 })
        return SimCluster(
            now: try setting("now").map { try readRow(Time.self, $0, "the clock") } ?? empty.now,
            faults: try setting("faults").map { try JSONDecoder().decode(FaultPlan.self, from: $0) } ?? empty.faults,
            nextPodSerial: try setting("nextPodSerial").map { try JSONDecoder().decode(Int.self, from: $0) }
                ?? empty.nextPodSerial,
            deployments: try rows(Deployment.self, db) { json throws(APIFieldError) in try Deployment(json: json) },
            replicaSets: replicaSets,
            pods: try rows(Pod.self, db) { json throws(APIFieldError) in
                // A ReplicaSet's pods mostly report the same status: read, they share one value.
                guard var pod = try Pod(row: json, replicaSets: replicaSetsByName) else { return nil }
                if let shared = lastStatus, shared == pod.status {
                    pod.status = shared
                } else {
                    lastStatus = pod.status
                }
                return pod
            })
    }

    /// Every row of `Object`'s kind, in namespace and name order, read by `read`; nil drops a row.
    private static func rows<Object: ClusterRow>(
        _: Object.Type, _ db: Database, _ read: (JSONValue) throws(APIFieldError) -> Object?
    ) throws -> [Object] {
        let rows = try Row.fetchCursor(
            db, sql: "SELECT namespace, name, body FROM object WHERE kind = ? ORDER BY namespace, name",
            arguments: [Object.kind])
        var objects: [Object] = []
        while let row = try rows.next() {
            let body: Data = row["body"]
            do {
                if let object = try read(try JSONValue(json: Array(body))) { objects.append(object) }
            } catch {
                let namespace: String = row["namespace"]
                let name: String = row["name"]
                throw SimulatorError.unreadableRow("\(Object.kind) \(namespace)/\(name) in cluster.sqlite", "\(error)")
            }
        }
        return objects
    }

    /// A row's body, the value's canonical JSON, read as `Value`; an error names the row.
    static func readRow<Value: KubernetesJSON>(_: Value.Type, _ body: Data, _ described: @autoclosure () -> String)
        throws -> Value
    {
        do {
            return try Value(json: JSONValue(json: Array(body)))
        } catch {
            throw SimulatorError.unreadableRow("\(described()) in cluster.sqlite", "\(error)")
        }
    }

    private static func plainObjects(_ db: Database) throws -> [ObjectKey: StoredObject] {
        var objects: [ObjectKey: StoredObject] = [:]
        for body in try Data.fetchAll(db, sql: "SELECT body FROM plainObject") {
            let object = try JSONDecoder().decode(StoredObject.self, from: body)
            objects[object.key] = object
        }
        return objects
    }

    /// A plain object's row key: `group/kind/namespace/name`, the namespace empty for a
    /// cluster-scoped object.
    private static func rowKey(_ key: ObjectKey) -> String {
        "\(key.group)/\(key.kind)/\(key.namespace ?? "")/\(key.name)"
    }

    /// Changes the store in one write transaction, so that no other process saves in between.
    /// `change` starts from what is stored: `known` when the store is still at its revision, else
    /// the contents read again. What differs when it returns is written, with its events; nothing
    /// is written when it throws or changes nothing.
    ///
    /// - Returns: what `change` returned, and the contents stored now.
    func update<T>(_ known: Contents, _ change: (inout Change) throws -> T) throws -> (result: T, contents: Contents) {
        try database.write { db in
            let old = try Self.revision(db) == known.revision ? known : Self.contents(db)
            var new = Change(cluster: old.cluster, plainObjects: old.plainObjects, baseRevision: old.revision)
            let result = try change(&new)
            guard Self.differs(new.cluster, old.cluster) || new.plainObjects != old.plainObjects || !new.events.isEmpty
            else { return (result, old) }
            let revision = old.revision + 1
            try db.execute(
                sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('revision', ?)", arguments: [revision])
            for (key, object) in new.plainObjects where old.plainObjects[key] != object {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO plainObject (key, body) VALUES (?, ?)",
                    arguments: [Self.rowKey(key), try Self.encoder.encode(object)])
            }
            for key in old.plainObjects.keys where new.plainObjects[key] == nil {
                try db.execute(sql: "DELETE FROM plainObject WHERE key = ?", arguments: [Self.rowKey(key)])
            }
            try Self.write(new.cluster, over: old.cluster, db)
            // Older ones would be dropped below, in this same transaction: they are never written.
            for event in new.events.suffix(Self.eventsKept) {
                try db.cachedStatement(sql: "INSERT INTO event (body) VALUES (?)")
                    .execute(arguments: [Data(event.json.canonicalJSON)])
            }
            if !new.events.isEmpty {
                try db.execute(
                    sql: "DELETE FROM event WHERE id <= (SELECT MAX(id) FROM event) - ?", arguments: [Self.eventsKept])
            }
            return (result, Contents(cluster: new.cluster, plainObjects: new.plainObjects, revision: revision))
        }
    }

    /// Checkpoints and truncates the WAL and gives free pages back.
    func compact() throws -> DurableDatabase.Compaction {
        try database.compact()
    }

    /// The newest `limit` events, oldest first.
    func events(limit: Int) throws -> [KeelsonKubernetes.Event] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, body FROM event ORDER BY id DESC LIMIT ?", arguments: [limit])
                .reversed().map { row in
                    let id: Int = row["id"]
                    return try Self.readRow(KeelsonKubernetes.Event.self, row["body"], "event \(id)")
                }
        }
    }

    /// Empties the cluster: objects, events, clock and faults. The revision moves on, so other
    /// processes read the empty cluster before they next use theirs.
    ///
    /// - Returns: the store's new revision.
    func reset() throws -> Int {
        try database.write { db in
            let next = try Self.revision(db) + 1
            for table in ["object", "event", "setting", "plainObject"] { try db.execute(sql: "DELETE FROM \(table)") }
            try db.execute(sql: "INSERT INTO setting (key, value) VALUES ('revision', ?)", arguments: [next])
            return next
        }
    }

    /// Whether `new` differs from `old`, without comparing the workloads a change left untouched.
    private static func differs(_ new: SimCluster, _ old: SimCluster) -> Bool {
        new.now != old.now || new.faults != old.faults || new.nextPodSerial != old.nextPodSerial
            || !sharesStorage(new.workloads, old.workloads) && new.workloads != old.workloads
    }

    private static func sharesStorage<Item>(_ new: [Item], _ old: [Item]) -> Bool {
        new.withUnsafeBufferPointer { a in
            old.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress && a.count == b.count }
        }
    }

    /// Writes the rows and settings of `new` that differ from `old`.
    private static func write(_ new: SimCluster, over old: SimCluster, _ db: Database) throws {
        try walk(
            new.workloads, old.workloads, key: { ($0.deployment.namespace, $0.deployment.name) },
            skipping: { $0.isIdentical(to: $1) }
        ) { new, old in
            guard let new else { return try delete(old!, db) }
            guard let old else { return try insert(new, db) }
            if new.deployment != old.deployment { try upsert(new.deployment, db) }
            try write(new.replicaSets, old.replicaSets, db)
            try write(new.pods, old.pods, db)
        }
        for (key, changed, value) in [
            ("now", new.now != old.now, Data(new.now.json.canonicalJSON)),
            ("faults", new.faults != old.faults, try encoder.encode(new.faults)),
            ("nextPodSerial", new.nextPodSerial != old.nextPodSerial, try encoder.encode(new.nextPodSerial)),
        ] where changed {
            try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }

    private static func insert(_ workload: Workload, _ db: Database) throws {
        try upsert(workload.deployment, db)
        for set in workload.replicaSets { try upsert(set, db) }
        for pod in workload.pods { try upsert(pod, db) }
    }

    private static func delete(_ workload: Workload, _ db: Database) throws {
        try delete(workload.deployment, db)
        for set in workload.replicaSets { try delete(set, db) }
        for pod in workload.pods { try delete(pod, db) }
    }

    /// Writes the rows of `new` that differ from `old`, both in name order within one namespace.
    private static func write<Item: ClusterRow>(
        _ new: [Item], _ old: [Item], _ db: Database
    ) throws {
        if sharesStorage(new, old) { return }
        try walk(new, old, key: { ($0.namespace, $0.name) }) { new, old in
            if let new, new != old { try upsert(new, db) }
            if let old, new == nil { try delete(old, db) }
        }
    }

    /// Walks two lists sorted by `key` side by side, calling `visit` with the items of each key:
    /// both when both lists have it, else the one that has it. Items are read in place through
    /// buffers (array subscripts copied each one out).
    ///
    /// - Parameter skipping: tells, without keys, a pair known to be the same (the walk over the
    ///   10,000 workloads of a cluster for each apply must not build 10,000 pairs of keys).
    private static func walk<Item>(
        _ new: [Item], _ old: [Item], key: (Item) -> (String, String),
        skipping unchanged: (Item, Item) -> Bool = { _, _ in false }, _ visit: (Item?, Item?) throws -> Void
    ) throws {
        assert(zip(new, new.dropFirst()).allSatisfy { key($0) < key($1) }, "rows out of order")
        try new.withUnsafeBufferPointer { new in
            try old.withUnsafeBufferPointer { old in
                var (i, j) = (0, 0)
                while i < new.count, j < old.count {
                    if unchanged(new[i], old[j]) {
                        i += 1
                        j += 1
                        continue
                    }
                    let (newKey, oldKey) = (key(new[i]), key(old[j]))
                    if newKey == oldKey {
                        try visit(new[i], old[j])
                        i += 1
                        j += 1
                    } else if newKey < oldKey {
                        try visit(new[i], nil)
                        i += 1
                    } else {
                        try visit(nil, old[j])
                        j += 1
                    }
                }
                for index in i..<new.count { try visit(new[index], nil) }
                for index in j..<old.count { try visit(nil, old[index]) }
            }
        }
    }

    /// Writes `item`'s row as canonical JSON: read back, numbers are exactly as written (through
    /// `JSONDecoder` a template's `cpu: 1.0` would come back as `1`, with another pod-template hash).
    private static func upsert<Item: ClusterRow>(_ item: Item, _ db: Database) throws {
        // A cached statement, parsed once: a rollout's save writes some 100,000 rows.
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO object (kind, namespace, name, body) VALUES (?, ?, ?, ?)")
            .execute(arguments: [Item.kind, item.namespace, item.name, Data(item.row.canonicalJSON)])
    }

    private static func delete<Item: ClusterObject>(_ item: Item, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM object WHERE kind = ? AND namespace = ? AND name = ?")
            .execute(arguments: [Item.kind, item.namespace, item.name])
    }
}
