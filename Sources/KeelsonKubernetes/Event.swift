/// A `v1` Event: something a controller or kubelet did to an object (`ScalingReplicaSet`,
/// `SuccessfulCreate`, …), as client-go's event recorder writes it.
public struct Event: KubernetesJSON, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Event"

    public var metadata: ObjectMeta
    /// The object it is about.
    public var involvedObject: ObjectReference
    /// `Normal` or `Warning`.
    public var type: String
    /// A machine-readable reason, as upstream spells it.
    public var reason: String
    /// A human-readable message, as upstream words it.
    public var message: String
    /// How often it happened between ``firstTimestamp`` and ``lastTimestamp``.
    public var count: Int
    public var firstTimestamp: Time?
    public var lastTimestamp: Time?
    /// The controller that reported it (`deployment-controller`, `kubelet`, …).
    public var reportingComponent: String

    public init(
        metadata: ObjectMeta, involvedObject: ObjectReference, type: String = "Normal", reason: String,
        message: String, count: Int = 1, firstTimestamp: Time?, lastTimestamp: Time?, reportingComponent: String
    ) {
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.type = type
        self.reason = reason
        self.message = message
        self.count = count
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.reportingComponent = reportingComponent
    }

    public init(json: JSONValue) throws(APIFieldError) {
        let reporter = try json.optionalString("reportingComponent")
        let source: String?
        do { source = try (json["source"] ?? .null).optionalString("component") } catch { throw error.inside("source") }
        self.init(
            metadata: try json.decoded("metadata"), involvedObject: try json.decoded("involvedObject"),
            type: try json.optionalString("type") ?? "Normal", reason: try json.optionalString("reason") ?? "",
            message: try json.optionalString("message") ?? "", count: try json.int("count", or: 1),
            firstTimestamp: try json.decodedIfPresent("firstTimestamp"),
            lastTimestamp: try json.decodedIfPresent("lastTimestamp"),
            reportingComponent: reporter.flatMap { $0.isEmpty ? nil : $0 } ?? source ?? "")
    }

    /// `eventTime` is written as null and `reportingInstance` empty, as client-go's recorder
    /// leaves them; `source.component` repeats the reporter, as older clients read it there.
    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("apiVersion", .string(Self.apiVersion)), ("count", .int(count)), ("eventTime", .null),
                ("firstTimestamp", firstTimestamp?.json), ("involvedObject", involvedObject.json),
                ("kind", .string(Self.kind)), ("lastTimestamp", lastTimestamp?.json), ("message", .string(message)),
                ("metadata", metadata.json), ("reason", .string(reason)),
                ("reportingComponent", .string(reportingComponent)), ("reportingInstance", .string("")),
                ("source", .object(JSONObject([("component", .string(reportingComponent))]))),
                ("type", .string(type)),
            ]))
    }
}

/// A reference to one object (`involvedObject` of an Event).
public struct ObjectReference: KubernetesJSON, Hashable {
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var name: String

    public init(apiVersion: String, kind: String, namespace: String?, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public init(json: JSONValue) throws(APIFieldError) {
        guard let kind = try json.optionalString("kind"), let name = try json.optionalString("name") else {
            throw APIFieldError(field: "", "expected a kind and a name")
        }
        self.init(
            apiVersion: try json.optionalString("apiVersion") ?? "", kind: kind,
            namespace: try json.optionalString("namespace"), name: name)
    }

    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("apiVersion", apiVersion.isEmpty ? nil : .string(apiVersion)), ("kind", .string(kind)),
                ("name", .string(name)), ("namespace", namespace.map(JSONValue.string)),
            ]))
    }
}
