import Foundation
import GRDB
import KeelsonKubernetes

extension LegacyRows {
    /// Schema `cluster-v2-kubernetes-objects` kept the simulator's own rows (`SimDeployment`,
    /// `SimReplicaSet`, `SimPod`, `SimEvent`: names, owners and times in simulated seconds beside
    /// Kubernetes JSON text of specs, statuses and templates); they become the API objects
    /// themselves, each row its object's canonical JSON, in one transaction. Nothing a client sees
    /// changes: `cluster get -o json` prints the same bytes before and after. Times become RFC 3339
    /// from ``Time/clusterEpoch``; a ReplicaSet's template gains its `pod-template-hash` label, as
    /// the API keeps it (its identity and hash leave that label out, so names stay); a pod gains its
    /// ReplicaSet's labels and spec and the status its kubelet reports. A pod whose ReplicaSet is
    /// gone is dropped, as the garbage collector would drop it.
    static func storeAsAPIObjects(_ db: Database) throws {
        let faults = try Data.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'faults'").map {
            try JSONDecoder().decode(FaultPlan.self, from: $0)
        }
        var replicaSets: [String: ReplicaSet] = [:]
        try rewrite(db, kind: Deployment.kind) { row throws(APIFieldError) in try deployment(fromLegacy: row) }
        try rewrite(db, kind: ReplicaSet.kind) { row throws(APIFieldError) in
            let replicaSet = try replicaSet(fromLegacy: row)
            replicaSets["\(replicaSet.namespace)/\(replicaSet.name)"] = replicaSet
            return replicaSet
        }
        try rewrite(db, kind: Pod.kind) { row throws(APIFieldError) -> Pod? in
            let owner = "\(try row.text("namespace"))/\(try row.text("owner"))"
            guard let replicaSet = replicaSets[owner] else { return nil }
            return try pod(fromLegacy: row, of: replicaSet, faults: faults ?? FaultPlan())
        }
        for row in try Row.fetchAll(db, sql: "SELECT id, body FROM event") {
            let id: Int = row["id"]
            let event = try upgrade("event \(id)", row["body"]) { row throws(APIFieldError) in
                Event(
                    about: try row.text("kind"), namespace: try row.text("namespace"), name: try row.text("name"),
                    type: try row.text("type"), reason: try row.text("reason"), message: try row.text("message"),
                    at: try row.time("time"))
            }
            try db.execute(
                sql: "UPDATE event SET body = ? WHERE id = ?", arguments: [Data(event.json.canonicalJSON), id])
        }
        if let seconds = try Int.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'now'") {
            try db.execute(
                sql: "UPDATE setting SET value = ? WHERE key = 'now'",
                arguments: [Data(Time.clusterEpoch.adding(seconds).json.canonicalJSON)])
        }
    }

    private static func deployment(fromLegacy row: JSONValue) throws(APIFieldError) -> Deployment {
        Deployment(
            metadata: ObjectMeta(
                name: try row.text("name"), namespace: try row.text("namespace"), labels: try row.stringMap("labels"),
                annotations: try row.stringMap("annotations"), generation: try row.int("generation", or: 1),
                creationTimestamp: try row.optionalInt("createdAt").map { Time.clusterEpoch.adding($0) }
                    ?? .clusterEpoch),
            spec: try DeploymentSpec(json: row.embedded("spec")),
            status: try DeploymentStatus(json: row.embedded("status")))
    }

    private static func replicaSet(fromLegacy row: JSONValue) throws(APIFieldError) -> ReplicaSet {
        let counts = row["status"] ?? .null
        let replicas = try counts.int("replicas", or: 0)
        return ReplicaSet(
            name: try row.text("name"), namespace: try row.text("namespace"), owner: try row.text("owner"),
            podTemplateHash: try row.text("podTemplateHash"),
            template: try PodTemplateSpec(json: row.embedded("template")),
            replicas: try row.int("replicas", or: 0), minReadySeconds: try row.int("minReadySeconds", or: 0),
            annotations: try row.stringMap("annotations"), createdAt: try row.time("createdAt"),
            status: ReplicaSetStatus(
                replicas: replicas, fullyLabeledReplicas: replicas,
                readyReplicas: try counts.int("readyReplicas", or: 0),
                availableReplicas: try counts.int("availableReplicas", or: 0)))
    }

    private static func pod(fromLegacy row: JSONValue, of replicaSet: ReplicaSet, faults: FaultPlan)
        throws(APIFieldError) -> Pod
    {
        var pod = Pod(name: try row.text("name"), of: replicaSet, createdAt: try row.time("createdAt"))
        guard let phase = PodPhase(rawValue: try row.text("phase")) else {
            throw APIFieldError(field: "phase", "expected Pending or Running")
        }
        pod.status = PodLifecycle.status(
            of: pod, phase: phase, readySince: try row["readySince"] == nil ? nil : row.time("readySince"),
            restarts: try row.int("restartCount", or: 0),
            crashLooping: faults.fault(forImages: pod.images) == .crashLoop)
        return pod
    }

    /// Rewrites every row of `kind` as the ``ClusterRow/row`` of the object `change` makes of
    /// it, or deletes it when nil.
    private static func rewrite<Object: ClusterRow>(
        _ db: Database, kind: String, _ change: (JSONValue) throws(APIFieldError) -> Object?
    ) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT namespace, name, body FROM object WHERE kind = ?", arguments: [kind])
        for row in rows {
            let namespace: String = row["namespace"]
            let name: String = row["name"]
            let object = try upgrade("\(kind) \(namespace)/\(name)", row["body"], change)
            try db.execute(
                sql: object == nil
                    ? "DELETE FROM object WHERE kind = ? AND namespace = ? AND name = ?"
                    : "UPDATE object SET body = ? WHERE kind = ? AND namespace = ? AND name = ?",
                arguments: StatementArguments(
                    (object.map { [Data($0.row.canonicalJSON)] } ?? []) + [kind, namespace, name]))
        }
    }

    /// `change` applied to the row `body`; an error names the row.
    private static func upgrade<Object>(
        _ described: String, _ body: Data, _ change: (JSONValue) throws(APIFieldError) -> Object
    ) throws -> Object {
        do {
            return try change(try JSONValue(json: Array(body)))
        } catch {
            throw SimulatorError.unreadableRow("\(described) in cluster.sqlite", "\(error)")
        }
    }
}

extension JSONValue {
    /// The member `key` as a string; an error when absent.
    fileprivate func text(_ key: String) throws(APIFieldError) -> String {
        guard let text = try optionalString(key) else { throw APIFieldError(field: key, "expected a string") }
        return text
    }

    /// The member `key`, simulated seconds, as a time.
    fileprivate func time(_ key: String) throws(APIFieldError) -> Time {
        guard let seconds = try optionalInt(key) else { throw APIFieldError(field: key, "expected simulated seconds") }
        return Time.clusterEpoch.adding(seconds)
    }

    /// The member `key`, JSON text, parsed.
    fileprivate func embedded(_ key: String) throws(APIFieldError) -> JSONValue {
        guard let value = try? JSONValue(json: Array(text(key).utf8)) else {
            throw APIFieldError(field: key, "expected JSON text")
        }
        return value
    }
}
