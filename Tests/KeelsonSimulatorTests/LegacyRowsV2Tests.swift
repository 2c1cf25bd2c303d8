import Foundation
import GRDB
import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// A `cluster.sqlite` written by the build before the simulator stored API objects (schema
/// `cluster-v2-kubernetes-objects`, rows in `Fixtures/cluster-v2.json`, among them a rollout held
/// up by a crash-looping pod) opens with every object and event it held: `cluster get -o json`
/// prints what that build printed (`Fixtures/cluster-v2-kubectl/`), byte for byte.
struct LegacyRowsV2Tests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func document() throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("cluster-v2.json")))
                as? [String: Any])
    }

    /// A file of schema `cluster-v2-kubernetes-objects`, as GRDB's migrator left it, holding the
    /// fixture's rows after `edit`.
    static func legacyFile(_ edit: (inout [[String: Any]]) throws -> Void = { _ in }) throws -> String {
        let document = try document()
        var objects = try #require(document["objects"] as? [[String: Any]])
        try edit(&objects)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keelson-legacy-v2-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("cluster.sqlite").path
        try DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('cluster-v1'), ('cluster-v2-kubernetes-objects');
                    CREATE TABLE object (kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                        body BLOB NOT NULL, PRIMARY KEY (kind, namespace, name));
                    CREATE TABLE event (id INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL);
                    CREATE TABLE setting (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE plainObject (key TEXT PRIMARY KEY, body BLOB NOT NULL);
                    """)
            for object in objects {
                try db.execute(
                    sql: "INSERT INTO object (kind, namespace, name, body) VALUES (?, ?, ?, ?)",
                    arguments: [
                        object["kind"] as? String, object["namespace"] as? String, object["name"] as? String,
                        try JSONSerialization.data(withJSONObject: try #require(object["body"])),
                    ])
            }
            for event in try #require(document["events"] as? [[String: Any]]) {
                try db.execute(
                    sql: "INSERT INTO event (body) VALUES (?)",
                    arguments: [try JSONSerialization.data(withJSONObject: event)])
            }
            for plain in try #require(document["plainObjects"] as? [[String: Any]]) {
                let key = "\(plain["group"]!)/\(plain["kind"]!)/\(plain["namespace"]!)/\(plain["name"]!)"
                try db.execute(
                    sql: "INSERT INTO plainObject (key, body) VALUES (?, ?)",
                    arguments: [key, try JSONSerialization.data(withJSONObject: plain)])
            }
            for (key, value) in try #require(document["settings"] as? [String: Any]) {
                let stored: any DatabaseValueConvertible =
                    key == "revision"
                    ? try #require(value as? Int)
                    : try JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed)
                try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?)", arguments: [key, stored])
            }
        }
        return path
    }

    static func kubectl(_ kind: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent("cluster-v2-kubectl/\(kind).json"), encoding: .utf8)
    }

    static func printed(_ items: [JSONValue]) -> String {
        KubectlObjects.list(items).prettyJSON() + "\n"
    }

    @Test func everyObjectAndEventPrintsAsThatBuildPrintedIt() async throws {
        let cluster = try SimulatedCluster(path: try Self.legacyFile())
        let snapshot = try await cluster.snapshot
        #expect(Self.printed(snapshot.deployments.map(\.json)) == (try Self.kubectl("deployments")))
        #expect(Self.printed(snapshot.replicaSets.map(\.json)) == (try Self.kubectl("replicasets")))
        #expect(Self.printed(snapshot.pods.map(\.json)) == (try Self.kubectl("pods")))
        #expect(Self.printed(try await cluster.events(limit: 500).map(\.json)) == (try Self.kubectl("events")))
        #expect(snapshot.now == Time.clusterEpoch.adding(37))
        #expect(snapshot.nextPodSerial == 6)
        #expect(snapshot.faults.faultsByImage["registry.example.com/shop/web:1.1.*"] == .crashLoop)
        let crashing = try #require(snapshot.pods.first { $0.name == "web-74bf9b459c-bbbbh" })
        #expect(crashing.restartCount == 1 && !crashing.isReady)
    }

    @Test func theRolloutGoesOnIntoTheSameReplicaSets() async throws {
        let path = try Self.legacyFile()
        let cluster = try SimulatedCluster(path: path)
        try await cluster.removeFault(image: "registry.example.com/shop/web:1.1.*")
        let settling = try await cluster.advanceUntilSettled(maxSeconds: 300)
        #expect(settling.settled)
        let settled = try await cluster.snapshot
        #expect(settled.replicaSets(of: "web", namespace: "shop").map(\.name) == ["web-df74fd864", "web-74bf9b459c"])
        #expect(settled.deployment("web", namespace: "shop")?.status.updatedReplicas == 3)
        #expect(settled.pods(of: "web", namespace: "shop").allSatisfy { $0.images[0].hasSuffix("web:1.1.0") })
        #expect(try await SimulatedCluster(path: path).snapshot == settled)
    }

    /// Rows written before a Deployment's labels were kept read as having none.
    @Test func aDeploymentRowWithoutLabelsReadsWithNone() async throws {
        let path = try Self.legacyFile { objects in
            let index = try #require(objects.firstIndex { $0["kind"] as? String == "Deployment" })
            var body = try #require(objects[index]["body"] as? [String: Any])
            body["labels"] = nil
            objects[index]["body"] = body
        }
        let snapshot = try await SimulatedCluster(path: path).snapshot
        #expect(snapshot.deployment("web", namespace: "shop")?.metadata.labels == [:])
        #expect(snapshot.deployment("worker", namespace: "shop") != nil)
    }

    @Test func aRowThatCannotBeUpgradedNamesItselfAndChangesNothing() throws {
        let path = try Self.legacyFile { objects in
            let index = try #require(objects.firstIndex { $0["kind"] as? String == "Pod" })
            var body = try #require(objects[index]["body"] as? [String: Any])
            body["createdAt"] = "yesterday"
            objects[index]["body"] = body
        }
        let before = try DatabaseQueue(path: path).read { db in try Data.fetchAll(db, sql: "SELECT body FROM object") }
        let error = #expect(throws: SimulatorError.self) { try SimulatedCluster(path: path) }
        #expect(
            error?.description.contains("Pod shop/web-74bf9b459c-bbbbh in cluster.sqlite") == true,
            "\(String(describing: error))")
        #expect(error?.description.contains("createdAt") == true)
        let after = try DatabaseQueue(path: path).read { db in
            (
                try Data.fetchAll(db, sql: "SELECT body FROM object"),
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            )
        }
        #expect(after.0 == before)
        #expect(after.1 == ["cluster-v1", "cluster-v2-kubernetes-objects"])
    }
}
