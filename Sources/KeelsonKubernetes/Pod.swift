/// A `v1` Pod: metadata, the spec it was made from and what its kubelet last reported.
public struct Pod: KubernetesJSON, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Pod"

    public var metadata: ObjectMeta
    public var spec: PodSpec
    public var status: PodStatus

    public init(metadata: ObjectMeta, spec: PodSpec, status: PodStatus = PodStatus()) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public init(json: JSONValue) throws(APIFieldError) {
        self.init(
            metadata: try json.decoded("metadata"), spec: try json.decoded("spec"),
            status: try json.decodedIfPresent("status") ?? PodStatus())
    }

    public var json: JSONValue {
        .object(
            JSONObject([
                ("apiVersion", .string(Self.apiVersion)), ("kind", .string(Self.kind)), ("metadata", metadata.json),
                ("spec", spec.json), ("status", status.json),
            ]))
    }
}

/// A pod's lifecycle phase, spelled as Kubernetes spells it.
public enum PodPhase: String, Sendable, Hashable {
    /// Accepted; containers not all started yet.
    case pending = "Pending"
    /// Bound to a node, containers started (ready or not).
    case running = "Running"
    /// Every container exited with success.
    case succeeded = "Succeeded"
    /// Every container exited, one at least with failure.
    case failed = "Failed"
    /// The node could not be asked.
    case unknown = "Unknown"
}

/// A pod's `status`: its phase, conditions and one status per container.
public struct PodStatus: KubernetesJSON, Hashable {
    public var phase: PodPhase
    /// `Initialized`, `Ready`, `ContainersReady`, `PodScheduled`, … in the kubelet's order.
    public var conditions: [PodCondition]
    public var containerStatuses: [ContainerStatus]
    /// When the kubelet accepted the pod.
    public var startTime: Time?

    public init(
        phase: PodPhase = .pending, conditions: [PodCondition] = [], containerStatuses: [ContainerStatus] = [],
        startTime: Time? = nil
    ) {
        self.phase = phase
        self.conditions = conditions
        self.containerStatuses = containerStatuses
        self.startTime = startTime
    }

    public init(json: JSONValue) throws(APIFieldError) {
        let phaseName = try json.optionalString("phase") ?? PodPhase.pending.rawValue
        guard let phase = PodPhase(rawValue: phaseName) else {
            throw APIFieldError(field: "phase", "expected Pending, Running, Succeeded, Failed or Unknown")
        }
        self.init(
            phase: phase, conditions: try json.decodedList("conditions"),
            containerStatuses: try json.decodedList("containerStatuses"),
            startTime: try json.decodedIfPresent("startTime"))
    }

    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("conditions", conditions.isEmpty ? nil : .array(conditions.map(\.json))),
                ("containerStatuses", containerStatuses.isEmpty ? nil : .array(containerStatuses.map(\.json))),
                ("phase", .string(phase.rawValue)), ("startTime", startTime?.json),
            ]))
    }

    /// The condition of `type`, if reported.
    public func condition(_ type: String) -> PodCondition? {
        conditions.first { $0.type == type }
    }
}

/// One entry of a pod's `status.conditions`.
public struct PodCondition: KubernetesJSON, Hashable {
    /// `Ready`: every container passes its readiness probe, so the pod serves.
    public static let ready = "Ready"

    public var type: String
    public var status: ConditionStatus
    public var reason: String?
    public var message: String?
    /// When `status` last changed.
    public var lastTransitionTime: Time?

    public init(
        type: String, status: ConditionStatus, reason: String? = nil, message: String? = nil,
        lastTransitionTime: Time? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }

    public init(json: JSONValue) throws(APIFieldError) {
        guard let type = try json.optionalString("type") else { throw APIFieldError(field: "type", "expected a type") }
        guard let statusName = try json.optionalString("status"), let status = ConditionStatus(rawValue: statusName)
        else { throw APIFieldError(field: "status", "expected True, False or Unknown") }
        self.init(
            type: type, status: status, reason: try json.optionalString("reason"),
            message: try json.optionalString("message"),
            lastTransitionTime: try json.decodedIfPresent("lastTransitionTime"))
    }

    /// `lastProbeTime` is written as null, as the kubelet leaves it.
    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("lastProbeTime", .null), ("lastTransitionTime", lastTransitionTime?.json),
                ("message", message.map(JSONValue.string)), ("reason", reason.map(JSONValue.string)),
                ("status", .string(status.rawValue)), ("type", .string(type)),
            ]))
    }
}

/// One entry of a pod's `status.containerStatuses`.
public struct ContainerStatus: KubernetesJSON, Hashable {
    public var name: String
    public var image: String
    public var ready: Bool
    /// Whether the container has started and passed its startup probe.
    public var started: Bool
    public var restartCount: Int
    public var state: ContainerState?
    /// The state of the run before the last restart.
    public var lastState: ContainerState?

    public init(
        name: String, image: String, ready: Bool, started: Bool, restartCount: Int = 0, state: ContainerState?,
        lastState: ContainerState? = nil
    ) {
        self.name = name
        self.image = image
        self.ready = ready
        self.started = started
        self.restartCount = restartCount
        self.state = state
        self.lastState = lastState
    }

    public init(json: JSONValue) throws(APIFieldError) {
        guard let name = try json.optionalString("name") else { throw APIFieldError(field: "name", "expected a name") }
        self.init(
            name: name, image: try json.optionalString("image") ?? "", ready: try json.bool("ready", or: false),
            started: try json.bool("started", or: false), restartCount: try json.int("restartCount", or: 0),
            state: try Self.state(json, "state"), lastState: try Self.state(json, "lastState"))
    }

    /// The member `key` as a state; nil when absent or `{}`.
    private static func state(_ json: JSONValue, _ key: String) throws(APIFieldError) -> ContainerState? {
        if json[key]?.objectValue?.isEmpty ?? true { return nil }
        return try json.decoded(key) as ContainerState
    }

    /// `state` and `lastState` are written as `{}` when unknown, as the kubelet writes them.
    public var json: JSONValue {
        .object(
            JSONObject([
                ("image", .string(image)), ("lastState", lastState?.json ?? .object(JSONObject([]))),
                ("name", .string(name)), ("ready", .bool(ready)), ("restartCount", .int(restartCount)),
                ("started", .bool(started)), ("state", state?.json ?? .object(JSONObject([]))),
            ]))
    }
}

/// What a container is doing: waiting to start, running, or exited.
public enum ContainerState: KubernetesJSON, Hashable {
    /// Not running, for `reason` (`ContainerCreating`, `CrashLoopBackOff`).
    case waiting(reason: String)
    case running(startedAt: Time)
    case terminated(exitCode: Int, reason: String, finishedAt: Time)

    public init(json: JSONValue) throws(APIFieldError) {
        if let waiting = json["waiting"] {
            self = .waiting(reason: try waiting.optionalString("reason") ?? "")
        } else if let running = json["running"] {
            do { self = .running(startedAt: try running.decoded("startedAt")) } catch { throw error.inside("running") }
        } else if let terminated = json["terminated"] {
            do {
                self = .terminated(
                    exitCode: try terminated.int("exitCode", or: 0),
                    reason: try terminated.optionalString("reason") ?? "",
                    finishedAt: try terminated.decoded("finishedAt"))
            } catch { throw error.inside("terminated") }
        } else {
            throw APIFieldError(field: "", "expected waiting, running or terminated")
        }
    }

    public var json: JSONValue {
        switch self {
        case .waiting(let reason):
            .object(JSONObject([("waiting", .object(JSONObject([("reason", .string(reason))])))]))
        case .running(let startedAt):
            .object(JSONObject([("running", .object(JSONObject([("startedAt", startedAt.json)])))]))
        case .terminated(let exitCode, let reason, let finishedAt):
            .object(
                JSONObject([
                    (
                        "terminated",
                        .object(
                            JSONObject([
                                ("exitCode", .int(exitCode)), ("finishedAt", finishedAt.json),
                                ("reason", .string(reason)),
                            ]))
                    )
                ]))
        }
    }
}
