import KeelsonKubernetes

/// An object as the target reports it.
public struct LiveObject: Sendable, Equatable {
    public let key: ObjectKey
    /// The application it is tracked to.
    public let application: String?
    /// The content hash of the desired object last applied; compare with ``KubeObject/contentHash``.
    public let appliedHash: String?
    /// For Deployments, where the rollout stands.
    public let rollout: RolloutStatus?
    /// True when the target can tell that nobody changed the object's spec since Keelson applied
    /// it (Kubernetes: `metadata.generation` still the one the apply produced); then drift needs
    /// no field-by-field comparison. Nil when the target cannot tell.
    public let unchangedSinceApplied: Bool?
    /// `metadata.labels` and `metadata.annotations` as live now: read for drift on every pass,
    /// without building the body.
    public let labels: [String: String]
    public let annotations: [String: String]
    private let makeBody: @Sendable () -> JSONValue

    /// The object as `kubectl get -o json` shows it, status included (built when asked for).
    public var body: JSONValue { makeBody() }

    public init(
        key: ObjectKey, application: String?, appliedHash: String?, body: JSONValue, rollout: RolloutStatus?,
        unchangedSinceApplied: Bool? = nil
    ) {
        self.init(
            key: key, application: application, appliedHash: appliedHash, rollout: rollout,
            unchangedSinceApplied: unchangedSinceApplied, labels: body.strings(at: ["metadata", "labels"]),
            annotations: body.strings(at: ["metadata", "annotations"]), body: { body })
    }

    public static func == (lhs: LiveObject, rhs: LiveObject) -> Bool {
        lhs.key == rhs.key && lhs.application == rhs.application && lhs.appliedHash == rhs.appliedHash
            && lhs.rollout == rhs.rollout && lhs.unchangedSinceApplied == rhs.unchangedSinceApplied
            && lhs.labels == rhs.labels && lhs.annotations == rhs.annotations && lhs.body == rhs.body
    }

    /// An object whose body is built only when someone reads it.
    public init(
        key: ObjectKey, application: String?, appliedHash: String?, rollout: RolloutStatus?,
        unchangedSinceApplied: Bool?, labels: [String: String] = [:], annotations: [String: String] = [:],
        body: @escaping @Sendable () -> JSONValue
    ) {
        self.key = key
        self.application = application
        self.appliedHash = appliedHash
        self.rollout = rollout
        self.unchangedSinceApplied = unchangedSinceApplied
        self.labels = labels
        self.annotations = annotations
        self.makeBody = body
    }
}

/// What `apply` did to one object.
public struct AppliedObject: Sendable, Hashable, CustomStringConvertible {
    public enum Change: String, Sendable {
        case created, configured, unchanged
    }

    public let key: ObjectKey
    public let change: Change

    public init(key: ObjectKey, change: Change) {
        self.key = key
        self.change = change
    }

    /// As `kubectl apply` prints it: `deployment.apps/web configured`.
    public var description: String {
        let kind = key.kind.lowercased() + (key.group.isEmpty ? "" : "." + key.group)
        return "\(kind)/\(key.name) \(change.rawValue)"
    }
}

/// A target's event, as `kubectl get events` lists it.
public struct TargetEvent: Sendable, Hashable {
    /// Seconds since the target's epoch (the simulated clock, or wall-clock seconds).
    public let time: Int
    public let type: String
    public let reason: String
    public let object: String
    public let message: String

    public init(time: Int, type: String, reason: String, object: String, message: String) {
        self.time = time
        self.type = type
        self.reason = reason
        self.object = object
        self.message = message
    }
}

/// Why a target refused a change.
public enum TargetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The object exists and is tracked to another application.
    case ownedByAnotherApplication(ObjectKey, owner: String)
    /// No such object.
    case notFound(ObjectKey)
    /// The target cannot hold this object as given.
    case invalid(ObjectKey, reason: String)
    /// The target could not take the change now (another writer holds it): nothing was changed,
    /// nothing failed, and the same call can be made again.
    case busy(String)

    public var description: String {
        switch self {
        case .ownedByAnotherApplication(let key, let owner):
            "\(key) belongs to application \"\(owner)\"; remove it there first or rename it"
        case .notFound(let key): "\(key) not found"
        case .invalid(let key, let reason): "\(key): \(reason)"
        case .busy(let reason): "the target is busy (\(reason)); nothing was changed, try again"
        }
    }
}
