/// Something a controller did, like a Kubernetes Event: `ScalingReplicaSet`, `SuccessfulCreate`, ….
public struct SimEvent: Codable, Sendable, Hashable, CustomStringConvertible {
    /// When it happened.
    public var time: SimTime
    /// `Deployment`, `ReplicaSet` or `Pod`.
    public var kind: String
    /// The namespace of the object the event is about.
    public var namespace: String
    /// The name of the object the event is about.
    public var name: String
    /// `Normal` or `Warning`.
    public var type: String
    /// A machine-readable reason, as upstream spells it.
    public var reason: String
    /// A human-readable message, as upstream words it.
    public var message: String

    /// Creates an event.
    public init(
        time: SimTime, kind: String, namespace: String, name: String, type: String = "Normal", reason: String,
        message: String
    ) {
        self.time = time
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.type = type
        self.reason = reason
        self.message = message
    }

    /// `t+3s Deployment default/web ScalingReplicaSet: Scaled up replica set web-5d8f to 3 from 0`.
    public var description: String { "\(time) \(kind) \(namespace)/\(name) \(reason): \(message)" }
}
