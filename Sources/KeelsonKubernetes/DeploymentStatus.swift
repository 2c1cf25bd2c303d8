/// A Deployment's `status`, as its controller last wrote it.
public struct DeploymentStatus: KubernetesJSON, Hashable {
    /// The generation the controller last acted on.
    public var observedGeneration = 0
    /// Pods owned by all of the Deployment's ReplicaSets.
    public var replicas = 0
    /// Pods owned by the new ReplicaSet.
    public var updatedReplicas = 0
    /// Ready pods.
    public var readyReplicas = 0
    /// Pods ready for at least `minReadySeconds`.
    public var availableReplicas = 0
    /// Desired pods across all ReplicaSets minus available pods, never negative.
    public var unavailableReplicas = 0
    /// Bumped when a new ReplicaSet's name collides with an existing one, to change the next hash.
    public var collisionCount: Int?
    /// `Available` and `Progressing`, in the order they were last set.
    public var conditions: [DeploymentCondition] = []

    /// An empty status.
    public init() {}

    public init(json: JSONValue) throws(APIFieldError) {
        observedGeneration = try json.int("observedGeneration", or: 0)
        replicas = try json.int("replicas", or: 0)
        updatedReplicas = try json.int("updatedReplicas", or: 0)
        readyReplicas = try json.int("readyReplicas", or: 0)
        availableReplicas = try json.int("availableReplicas", or: 0)
        unavailableReplicas = try json.int("unavailableReplicas", or: 0)
        collisionCount = try json.optionalInt("collisionCount")
        conditions = try json.decodedList("conditions")
    }

    /// Counts of 0 and empty conditions left out, as `omitempty` leaves them out upstream.
    public var json: JSONValue {
        let count = { (value: Int) in value == 0 ? nil : JSONValue.int(value) }
        return .object(
            JSONObject.omittingNil([
                ("availableReplicas", count(availableReplicas)), ("collisionCount", collisionCount.map(JSONValue.int)),
                ("conditions", conditions.isEmpty ? nil : .array(conditions.map(\.json))),
                ("observedGeneration", count(observedGeneration)), ("readyReplicas", count(readyReplicas)),
                ("replicas", count(replicas)), ("unavailableReplicas", count(unavailableReplicas)),
                ("updatedReplicas", count(updatedReplicas)),
            ]))
    }
}

/// One entry of a Deployment's `status.conditions`.
public struct DeploymentCondition: KubernetesJSON, Hashable {
    /// The condition types a deployment controller maintains.
    public enum Kind: String, Sendable, Hashable {
        /// Whether at least `replicas - maxUnavailable` pods are available.
        case available = "Available"
        /// Whether the rollout is moving, complete, paused or stuck past its deadline.
        case progressing = "Progressing"
        /// A ReplicaSet could not create or delete pods (quota, admission).
        case replicaFailure = "ReplicaFailure"
    }

    public var type: Kind
    public var status: ConditionStatus
    /// A machine-readable reason such as `NewReplicaSetAvailable`; see ``Reason``.
    public var reason: String
    public var message: String
    /// The last time the condition was updated (for `Progressing`: the last time progress was seen).
    public var lastUpdateTime: Time
    /// The last time `status` changed.
    public var lastTransitionTime: Time

    /// A condition whose update and transition times are both `time` (upstream `NewDeploymentCondition`).
    public init(type: Kind, status: ConditionStatus, reason: String, message: String, time: Time) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastUpdateTime = time
        self.lastTransitionTime = time
    }

    public init(json: JSONValue) throws(APIFieldError) {
        guard let typeName = try json.optionalString("type"), let type = Kind(rawValue: typeName) else {
            throw APIFieldError(field: "type", "expected Available, Progressing or ReplicaFailure")
        }
        guard let statusName = try json.optionalString("status"), let status = ConditionStatus(rawValue: statusName)
        else { throw APIFieldError(field: "status", "expected True, False or Unknown") }
        self.init(
            type: type, status: status, reason: try json.optionalString("reason") ?? "",
            message: try json.optionalString("message") ?? "", time: try json.decoded("lastUpdateTime"))
        lastTransitionTime = try json.decoded("lastTransitionTime")
    }

    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("lastTransitionTime", lastTransitionTime.json), ("lastUpdateTime", lastUpdateTime.json),
                ("message", message.isEmpty ? nil : .string(message)),
                ("reason", reason.isEmpty ? nil : .string(reason)),
                ("status", .string(status.rawValue)), ("type", .string(type.rawValue)),
            ]))
    }

    /// The reasons a deployment controller writes, from upstream's `deployment_util.go`.
    public enum Reason {
        /// Progressing: one of the Deployment's ReplicaSets was scaled as part of the rollout.
        public static let replicaSetUpdated = "ReplicaSetUpdated"
        /// Progressing: the controller created the new ReplicaSet.
        public static let newReplicaSetCreated = "NewReplicaSetCreated"
        /// Progressing: the controller found an existing new ReplicaSet and had no Progressing condition yet.
        public static let foundNewReplicaSet = "FoundNewReplicaSet"
        /// Progressing: the rollout completed.
        public static let newReplicaSetAvailable = "NewReplicaSetAvailable"
        /// Progressing: no progress for `progressDeadlineSeconds`.
        public static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
        /// Progressing: the Deployment was paused.
        public static let deploymentPaused = "DeploymentPaused"
        /// Progressing: the Deployment was resumed.
        public static let deploymentResumed = "DeploymentResumed"
        /// Available: at least `replicas - maxUnavailable` pods are available.
        public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
        /// Available: fewer than `replicas - maxUnavailable` pods are available.
        public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"
    }
}

/// A condition's status, spelled as Kubernetes spells it.
public enum ConditionStatus: String, Sendable, Hashable {
    /// The condition holds.
    case `true` = "True"
    /// The condition does not hold.
    case `false` = "False"
    /// The controller cannot tell, as while a Deployment is paused.
    case unknown = "Unknown"
}
