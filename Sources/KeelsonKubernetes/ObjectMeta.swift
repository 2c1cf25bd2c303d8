/// `metadata` of every object (`metav1.ObjectMeta`): the parts Keelson reads and writes.
public struct ObjectMeta: KubernetesJSON, Hashable {
    public var name: String
    /// The prefix a server names the object from (pods of a ReplicaSet).
    public var generateName: String?
    /// Nil for cluster-scoped objects, and for manifests that leave it to the destination.
    public var namespace: String?
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Moved by every change of the spec; nil where the server keeps none (pods).
    public var generation: Int?
    public var creationTimestamp: Time?
    public var uid: String?
    public var resourceVersion: String?
    public var ownerReferences: [OwnerReference]

    public init(
        name: String, generateName: String? = nil, namespace: String? = nil, labels: [String: String] = [:],
        annotations: [String: String] = [:], generation: Int? = nil, creationTimestamp: Time? = nil,
        uid: String? = nil, resourceVersion: String? = nil, ownerReferences: [OwnerReference] = []
    ) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.ownerReferences = ownerReferences
    }

    public init(json: JSONValue) throws(APIFieldError) {
        let name = try json.optionalString("name")
        let generateName = try json.optionalString("generateName")
        guard name != nil || generateName != nil else { throw APIFieldError(field: "name", "expected a name") }
        // kubectl writes `creationTimestamp: null` for objects not created yet.
        let creation: Time? = json["creationTimestamp"] == .null ? nil : try json.decodedIfPresent("creationTimestamp")
        self.init(
            name: name ?? "", generateName: generateName,
            namespace: try json.optionalString("namespace"), labels: try json.stringMap("labels"),
            annotations: try json.stringMap("annotations"), generation: try json.optionalInt("generation"),
            creationTimestamp: creation, uid: try json.optionalString("uid"),
            resourceVersion: try json.optionalString("resourceVersion"),
            ownerReferences: try json.decodedList("ownerReferences"))
    }

    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("annotations", annotations.isEmpty ? nil : JSONObject.strings(annotations)),
                ("creationTimestamp", creationTimestamp?.json), ("generateName", generateName.map(JSONValue.string)),
                ("generation", generation.map(JSONValue.int)),
                ("labels", labels.isEmpty ? nil : JSONObject.strings(labels)),
                ("name", name.isEmpty ? nil : .string(name)),
                ("namespace", namespace.map(JSONValue.string)),
                ("ownerReferences", ownerReferences.isEmpty ? nil : .array(ownerReferences.map(\.json))),
                ("resourceVersion", resourceVersion.map(JSONValue.string)), ("uid", uid.map(JSONValue.string)),
            ]))
    }
}

/// One entry of `metadata.ownerReferences`: the object that owns this one (a ReplicaSet's
/// Deployment, a pod's ReplicaSet).
public struct OwnerReference: KubernetesJSON, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String?
    /// Whether the owner is the managing controller, and deletion waits for this object.
    public var controller: Bool
    public var blockOwnerDeletion: Bool

    public init(
        apiVersion: String, kind: String, name: String, uid: String? = nil, controller: Bool = true,
        blockOwnerDeletion: Bool = true
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    public init(json: JSONValue) throws(APIFieldError) {
        guard let apiVersion = try json.optionalString("apiVersion"), let kind = try json.optionalString("kind"),
            let name = try json.optionalString("name")
        else { throw APIFieldError(field: "", "expected apiVersion, kind and name") }
        self.init(
            apiVersion: apiVersion, kind: kind, name: name, uid: try json.optionalString("uid"),
            controller: try json.bool("controller", or: false),
            blockOwnerDeletion: try json.bool("blockOwnerDeletion", or: false))
    }

    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("apiVersion", .string(apiVersion)), ("blockOwnerDeletion", blockOwnerDeletion ? .bool(true) : nil),
                ("controller", controller ? .bool(true) : nil), ("kind", .string(kind)), ("name", .string(name)),
                ("uid", uid.map(JSONValue.string)),
            ]))
    }
}
