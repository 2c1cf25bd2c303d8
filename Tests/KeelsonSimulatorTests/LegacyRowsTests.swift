import Foundation
import GRDB
import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// A `cluster.sqlite` written by the build before the simulator stored Kubernetes JSON (schema
/// `cluster-v1`, rows in `Fixtures/cluster-v1.json`) opens with everything it held: specs,
/// templates byte for byte, pod-template hashes, and a rollout that goes on where it was.
struct LegacyRowsTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cluster-v1.json")

    struct Rows {
        var objects: [(kind: String, namespace: String, name: String, body: [String: Any])]
        var settings: [String: Int]
    }

    static func rows() throws -> Rows {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any])
        let objects = try #require(document["objects"] as? [[String: Any]]).map { row in
            (
                kind: row["kind"] as! String, namespace: row["namespace"] as! String, name: row["name"] as! String,
                body: row["body"] as! [String: Any]
            )
        }
        return Rows(objects: objects, settings: try #require(document["settings"] as? [String: Int]))
    }

    /// A file of schema `cluster-v1`, as GRDB's migrator left it, holding `rows`.
    static func legacyFile(_ rows: Rows) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keelson-legacy-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("cluster.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('cluster-v1');
                    CREATE TABLE object (kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                        body BLOB NOT NULL, PRIMARY KEY (kind, namespace, name));
                    CREATE TABLE event (id INTEGER PRIMARY KEY AUTOINCREMENT, body BLOB NOT NULL);
                    CREATE TABLE setting (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE plainObject (key TEXT PRIMARY KEY, body BLOB NOT NULL);
                    """)
            for object in rows.objects {
                try db.execute(
                    sql: "INSERT INTO object (kind, namespace, name, body) VALUES (?, ?, ?, ?)",
                    arguments: [
                        object.kind, object.namespace, object.name,
                        try JSONSerialization.data(withJSONObject: object.body),
                    ])
            }
            try db.execute(sql: "INSERT INTO setting VALUES ('revision', ?)", arguments: [rows.settings["revision"]])
            for key in ["now", "nextPodSerial"] {
                try db.execute(
                    sql: "INSERT INTO setting VALUES (?, ?)", arguments: [key, Data("\(rows.settings[key]!)".utf8)])
            }
        }
        return path
    }

    /// The legacy template text of the Deployment `name` in the fixture.
    static func legacyTemplateText(_ rows: Rows, _ name: String) throws -> String {
        let deployment = try #require(rows.objects.first { $0.kind == "Deployment" && $0.name == name })
        let spec = try #require(deployment.body["spec"] as? [String: Any])
        return try #require((spec["template"] as? [String: Any])?["json"] as? String)
    }

    @Test func specsTemplatesAndHashesReadBackAndTheRolloutGoesOn() async throws {
        let rows = try Self.rows()
        let path = try Self.legacyFile(rows)
        let cluster = try SimulatedCluster(path: path)
        let snapshot = try await cluster.snapshot

        let web = try #require(snapshot.deployment("web", namespace: "shop"))
        #expect(web.generation == 2)
        #expect(web.spec.replicas == 3)
        #expect(web.spec.strategy == .rollingUpdate(maxSurge: .count(1), maxUnavailable: .percent(25)))
        #expect(web.spec.minReadySeconds == 5)
        #expect(web.spec.progressDeadlineSeconds == 600)
        #expect(web.spec.revisionHistoryLimit == 10)
        #expect(web.spec.selector == LabelSelector(matchLabels: ["app": "web", "tier": "front"]))
        #expect(
            web.spec.template.containers == [
                Container(name: "web", image: "registry.example.com/shop/web:1.1.0", readinessDelaySeconds: 3),
                Container(name: "sidecar", image: "envoy:v1.29"),
            ])
        // Byte for byte, `cpu: 1.0` included: so the pod-template hash is the one it had.
        #expect(
            String(decoding: web.spec.template.canonicalJSON, as: UTF8.self)
                == (try Self.legacyTemplateText(rows, "web")))

        // Its status as the controller left it, the conditions' times on the wall clock.
        #expect(web.status.observedGeneration == 2)
        #expect(web.status.replicas == 4 && web.status.updatedReplicas == 1 && web.status.unavailableReplicas == 1)
        let progressing = try #require(web.status.condition(.progressing))
        #expect(progressing.reason == DeploymentCondition.Reason.replicaSetUpdated)
        #expect(progressing.lastUpdateTime == Time.clusterEpoch.adding(12))
        #expect(progressing.lastTransitionTime == Time.clusterEpoch.adding(1))
        #expect(web.status.condition(.available)?.status == .true)

        let worker = try #require(snapshot.deployment("worker", namespace: "shop"))
        #expect(worker.spec.strategy == .recreate)
        #expect(worker.spec.progressDeadlineSeconds == nil)
        #expect(worker.spec.revisionHistoryLimit == nil)
        #expect(worker.spec.selector == LabelSelector(matchLabels: ["app": "worker"]))

        let sets = snapshot.replicaSets
        #expect(sets.map(\.name) == ["web-595bbd5d5c", "web-6d96cc6ddb", "worker-588785967b"])
        for set in sets {
            let template = set.spec.template.settingLabel(PodTemplateSpec.hashLabel, to: nil)
            #expect(PodTemplateHash.compute(template, collisionCount: nil) == set.podTemplateHash, "\(set.name)")
            #expect(set.spec.template == template, "the hash label is not part of a template's identity")
        }
        #expect(snapshot.pods.count == 6)
        #expect(snapshot.now == Time.clusterEpoch.adding(14))

        // The rollout that was under way finishes into the same ReplicaSet, with no new one.
        _ = try await cluster.advanceUntilSettled(maxSeconds: 300)
        let settled = try await cluster.snapshot
        #expect(settled.replicaSets(of: "web", namespace: "shop").map(\.name) == ["web-6d96cc6ddb", "web-595bbd5d5c"])
        #expect(settled.deployment("web", namespace: "shop")?.status.updatedReplicas == 3)
        #expect(
            settled.pods(of: "web", namespace: "shop").allSatisfy {
                $0.images.first == "registry.example.com/shop/web:1.1.0"
            })
        #expect(web.json.prettyJSON().contains(#""cpu": 1.0"#))

        // Read again from the file, by another process's handle: the same.
        #expect(try await SimulatedCluster(path: path).snapshot == settled)
    }

    @Test func aRowThatCannotBeUpgradedNamesItselfAndChangesNothing() throws {
        var rows = try Self.rows()
        let index = try #require(rows.objects.firstIndex { $0.kind == "Deployment" && $0.name == "worker" })
        var spec = try #require(rows.objects[index].body["spec"] as? [String: Any])
        spec["template"] = ["json": "{not json", "containers": []]
        rows.objects[index].body["spec"] = spec
        let path = try Self.legacyFile(rows)
        let before = try DatabaseQueue(path: path).read { db in try Data.fetchAll(db, sql: "SELECT body FROM object") }

        let error = #expect(throws: SimulatorError.self) { try SimulatedCluster(path: path) }
        #expect(
            error?.description.contains("Deployment shop/worker in cluster.sqlite") == true,
            "\(String(describing: error))")
        let after = try DatabaseQueue(path: path).read { db in
            (
                try Data.fetchAll(db, sql: "SELECT body FROM object"),
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            )
        }
        #expect(after.0 == before)
        #expect(after.1 == ["cluster-v1"])
    }

    @Test func aStatusThatCannotBeUpgradedNamesItselfToo() throws {
        var rows = try Self.rows()
        let index = try #require(rows.objects.firstIndex { $0.kind == "Deployment" && $0.name == "web" })
        var status = try #require(rows.objects[index].body["status"] as? [String: Any])
        var conditions = try #require(status["conditions"] as? [[String: Any]])
        conditions[0]["lastUpdateTime"] = "soon"
        status["conditions"] = conditions
        rows.objects[index].body["status"] = status
        let path = try Self.legacyFile(rows)
        let error = #expect(throws: SimulatorError.self) { try SimulatedCluster(path: path) }
        #expect(
            error?.description.contains("Deployment shop/web in cluster.sqlite") == true, "\(String(describing: error))"
        )
        #expect(error?.description.contains("lastUpdateTime") == true)
        let applied = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        #expect(applied == ["cluster-v1"])
    }
}
