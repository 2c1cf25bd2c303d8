import Foundation
import GRDB
import KeelsonKubernetes

/// Rows of `cluster.sqlite` as builds before session 9 wrote them, rewritten in today's shapes.
enum LegacyRows {
    /// Schema `cluster-v1` kept a Deployment's `spec` and `status` and a ReplicaSet's `template`
    /// in shapes of the simulator's own (`{"json": <template text>, "containers": […]}`, a strategy
    /// as `{"rollingUpdate": {…}}` or `{"recreate": {}}`, no selector, conditions' times as
    /// simulated seconds); they become Kubernetes JSON text (``StoredAsJSONText``), in one
    /// transaction. A template's text is kept byte for byte, so pod-template hashes and ReplicaSet
    /// names stay; condition times become RFC 3339 on the wall clock those seconds stand for
    /// (``Time/wallClock``). A Deployment's selector was not kept: it becomes its template's
    /// labels, which is what a manifest's selector matches, and the next apply of a manifest whose
    /// selector names fewer labels moves the generation once, without a rollout. A field already
    /// text (written by a build of this session between two steps of this change) is kept.
    static func storeAsKubernetesJSON(_ db: Database) throws {
        try rewrite(db, kind: "Deployment") { object throws(APIFieldError) in
            var object = object
            if case .object = object["spec"] {
                let spec = try DeploymentSpec(json: apiSpec(fromLegacy: object["spec"] ?? .null))
                object = object.setting("spec", to: .string(spec.json.canonicalText))
            }
            if case .object(let status)? = object["status"] {
                object = object.setting("status", to: .string(try apiStatus(fromLegacy: status).json.canonicalText))
            }
            return object
        }
        try rewrite(db, kind: "ReplicaSet") { object throws(APIFieldError) in
            guard case .object = object["template"] else { return object }
            let template = try PodTemplateSpec(json: apiTemplate(fromLegacy: object["template"] ?? .null))
            return object.setting("template", to: .string(template.json.canonicalText))
        }
    }

    /// A status whose conditions' times are simulated seconds.
    private static func apiStatus(fromLegacy status: JSONObject) throws(APIFieldError) -> DeploymentStatus {
        var conditions: [JSONValue] = []
        for condition in status["conditions"]?.arrayValue ?? [] {
            var fields = condition.objectValue ?? JSONObject([])
            for key in ["lastUpdateTime", "lastTransitionTime"] {
                guard let seconds = fields[key]?.intValue else {
                    throw APIFieldError(field: "status.conditions.\(key)", "expected simulated seconds")
                }
                fields = fields.setting(key, to: Time.clusterEpoch.adding(seconds).json)
            }
            conditions.append(.object(fields))
        }
        return try DeploymentStatus(json: .object(status.setting("conditions", to: .array(conditions))))
    }

    /// Rewrites every row of `kind` with `change`, in the migration's one transaction.
    private static func rewrite(
        _ db: Database, kind: String, _ change: (JSONObject) throws(APIFieldError) -> JSONObject
    ) throws {
        let rows = try Row.fetchAll(
            db, sql: "SELECT namespace, name, body FROM object WHERE kind = ?", arguments: [kind])
        for row in rows {
            let namespace: String = row["namespace"]
            let name: String = row["name"]
            let body: Data = row["body"]
            let described = "\(kind) \(namespace)/\(name) in cluster.sqlite"
            guard case .object(let object) = try JSONValue(json: Array(body)) else {
                throw SimulatorError.unreadableRow(described, "expected a JSON object")
            }
            let rewritten: JSONObject
            do { rewritten = try change(object) } catch { throw SimulatorError.unreadableRow(described, "\(error)") }
            try db.execute(
                sql: "UPDATE object SET body = ? WHERE kind = ? AND namespace = ? AND name = ?",
                arguments: [Data(JSONValue.object(rewritten).canonicalJSON), kind, namespace, name])
        }
    }

    /// `{"json": "<template>", "containers": […]}` → the template.
    private static func apiTemplate(fromLegacy legacy: JSONValue) throws(APIFieldError) -> JSONValue {
        guard let text = legacy["json"]?.stringValue, let template = try? JSONValue(json: Array(text.utf8)) else {
            throw APIFieldError(field: "template.json", "expected the template's JSON text")
        }
        return template
    }

    private static func apiSpec(fromLegacy legacy: JSONValue) throws(APIFieldError) -> JSONValue {
        guard case .object(let spec) = legacy else { throw APIFieldError(field: "spec", "expected an object") }
        let template = try apiTemplate(fromLegacy: spec["template"] ?? .null)
        let strategy: JSONValue
        switch spec["strategy"] {
        case .object(let legacy)? where legacy["recreate"] != nil:
            strategy = .object(JSONObject([("type", .string("Recreate"))]))
        case .object(let legacy)?:
            guard let rolling = legacy["rollingUpdate"] else {
                throw APIFieldError(field: "spec.strategy", "expected rollingUpdate or recreate")
            }
            strategy = .object(JSONObject([("type", .string("RollingUpdate")), ("rollingUpdate", rolling)]))
        default:
            throw APIFieldError(field: "spec.strategy", "expected rollingUpdate or recreate")
        }
        let labels = template.value(at: ["metadata", "labels"]) ?? .object(JSONObject([]))
        return .object(
            spec.setting("template", to: template).setting("strategy", to: strategy)
                .setting("selector", to: .object(JSONObject([("matchLabels", labels)]))))
    }
}
