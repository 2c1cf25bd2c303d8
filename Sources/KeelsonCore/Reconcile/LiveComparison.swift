import KeelsonKubernetes

/// Desired objects set against the live ones of an application: what is missing, changed in git,
/// changed live (drift), in sync, or live but no longer in git.
public struct LiveComparison: Sendable {
    /// How one object compares.
    public enum State: String, Codable, Sendable {
        /// In git, not live.
        case missing
        /// Git's content differs from what was last applied.
        case changed
        /// Git's content was applied, but live fields were changed since.
        case drifted
        case synced
        /// Live and tracked to the application, no longer in git.
        case extra
    }

    /// One object's comparison.
    public struct Entry: Sendable {
        public let key: ObjectKey
        public let state: State
        /// Fields git sets whose live values differ.
        public let differences: [FieldDifference]
        public let desired: KubeObject?
        public let live: LiveObject?
    }

    /// Desired objects in render order, then extra live objects in key order.
    public let entries: [Entry]

    public init(desired: [KubeObject], live: [LiveObject], namespace: String) {
        var liveByKey: [ObjectKey: LiveObject] = [:]
        for object in live { liveByKey[object.key] = object }
        var entries: [Entry] = []
        for object in desired {
            let key = Self.targetKey(object, namespace: namespace)
            guard let current = liveByKey.removeValue(forKey: key) else {
                entries.append(Entry(key: key, state: .missing, differences: [], desired: object, live: nil))
                continue
            }
            let applied = current.appliedHash == object.contentHash
            let differences =
                Self.metadataDifferences(object, current)
                + (applied && current.unchangedSinceApplied == true
                    ? []
                    : Self.compared(object).flatMap { field, value in
                        FieldDifference.differences(desired: value, live: current.body[field], path: field)
                    })
            let state: State = !applied ? .changed : differences.isEmpty ? .synced : .drifted
            entries.append(Entry(key: key, state: state, differences: differences, desired: object, live: current))
        }
        for object in liveByKey.values.sorted(by: { $0.key.description < $1.key.description }) {
            entries.append(Entry(key: object.key, state: .extra, differences: [], desired: nil, live: object))
        }
        self.entries = entries
    }

    /// Whether live is exactly what git asks for (extra objects count as a difference).
    public var isSynced: Bool { entries.allSatisfy { $0.state == .synced } }

    /// The key an object has on the target: the destination namespace filled in, and every
    /// Deployment API version (`extensions/v1beta1`, `apps/v1beta2`) as the one `apps` Deployment.
    public static func targetKey(_ object: KubeObject, namespace: String) -> ObjectKey {
        let key = object.key(defaultNamespace: namespace)
        guard object.deployment != nil else { return key }
        return ObjectKey(group: "apps", kind: "Deployment", namespace: key.namespace, name: key.name)
    }

    /// The labels and annotations git sets whose live values differ or are gone (others the
    /// cluster or people added are theirs). Compared on every pass: changing them moves no
    /// generation.
    private static func metadataDifferences(_ object: KubeObject, _ live: LiveObject) -> [FieldDifference] {
        guard case .object(let metadata)? = object.body["metadata"] else { return [] }
        var differences: [FieldDifference] = []
        for (field, liveValues) in [("labels", live.labels), ("annotations", live.annotations)] {
            guard case .object(let wanted)? = metadata[field] else { continue }
            for member in wanted where liveValues[member.key] != member.value.stringValue {
                differences += FieldDifference.differences(
                    desired: member.value, live: liveValues[member.key].map(JSONValue.string),
                    path: "metadata.\(field).\(member.key)")
            }
        }
        return differences
    }

    /// The top-level fields compared for drift: for Deployments the ones people and controllers
    /// change (replicas, paused, the pod template); for other kinds everything but identity,
    /// metadata and status.
    private static func compared(_ object: KubeObject) -> [(String, JSONValue)] {
        guard case .object(let body) = object.body else { return [] }
        if object.deployment != nil {
            guard case .object(let spec)? = body["spec"] else { return [] }
            let fields = spec.filter { ["replicas", "paused", "template"].contains($0.key) }
            return [("spec", .object(JSONObject(fields.map { ($0.key, $0.value) })))]
        }
        return body.filter { !["apiVersion", "kind", "metadata", "status"].contains($0.key) }.map { ($0.key, $0.value) }
    }
}
