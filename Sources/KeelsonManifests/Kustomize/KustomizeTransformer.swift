import KeelsonKubernetes

/// One of kustomize's builtin transformers, configured from a kustomization field (with kustomize's
/// ``FieldSpecs``) or from a builtin transformer configuration under `transformers:` (with its own).
enum KustomizeTransformer: Sendable {
    case labels([(key: String, value: String)], [FieldSpec])
    case annotations([(key: String, value: String)], [FieldSpec])
    case namespace(String, [FieldSpec], NamespaceOptions = NamespaceOptions())
    case prefix(String, [FieldSpec])
    case suffix(String, [FieldSpec])
    case image(Kustomization.Image, [FieldSpec])
    case replicas(Kustomization.Replica, [FieldSpec])

    /// How a `NamespaceTransformer` configuration sets namespaces (the `namespace` field uses the defaults).
    struct NamespaceOptions: Sendable, Hashable {
        /// Which `subjects` of RoleBindings and ClusterRoleBindings get the namespace.
        enum Subjects: String, Sendable {
            case defaultOnly, allServiceAccounts, none
        }

        /// Only namespaces that are not set yet are set (`unsetOnly`).
        var unsetOnly = false
        var subjects = Subjects.defaultOnly
    }

    /// Why a transformer could not run.
    struct Failure: Error {
        let message: String
    }

    /// Transforms every resource.
    func apply(to resources: inout [KustomizeResource]) throws(Failure) {
        switch self {
        case .labels(let pairs, let specs), .annotations(let pairs, let specs):
            guard !pairs.isEmpty else { return }
            for index in resources.indices {
                resources[index].body = Self.update(resources[index].body, specs) { existing in
                    guard var map = existing.map({ $0.objectValue }) ?? JSONObject([]) else { return nil }
                    for (key, value) in pairs { map = map.setting(key, to: .string(value)) }
                    return .object(map)
                }
            }
        case .namespace(let namespace, let specs, let options):
            try setNamespace(namespace, specs, options, in: &resources)
        case .prefix(let prefix, let specs):
            Self.rename(&resources, specs, \.prefixes, prefix) { prefix + $0 }
        case .suffix(let suffix, let specs):
            Self.rename(&resources, specs, \.suffixes, suffix) { $0 + suffix }
        case .image(let image, let specs):
            let tag = ImageTag(image)
            for index in resources.indices where resources[index].id.kind != "CustomResourceDefinition" {
                let legacy = Self.rewritingContainerImages(resources[index].body, tag)
                resources[index].body = Self.update(legacy, specs, creating: false) { existing in
                    existing?.stringValue.flatMap(tag.rewrite).map(JSONValue.string)
                }
            }
        case .replicas(let replica, let specs):
            var found = false
            for spec in specs {
                for index in resources.indices
                where resources[index].hasID(where: { $0.name == replica.name && spec.selects($0) }) {
                    found = true
                    resources[index].body = spec.updating(resources[index].body) { _ in .int(replica.count) }
                }
            }
            guard found else {
                let kinds = specs.compactMap(\.kind)
                let wanted = kinds.isEmpty ? "an object" : "a " + kinds.joined(separator: " or ")
                throw Failure(message: "expected \(wanted) named \"\(replica.name)\", found none")
            }
        }
    }

    /// `body` with `update` applied at every spec that selects its kind.
    private static func update(
        _ body: JSONValue, _ specs: [FieldSpec], creating: Bool = true, _ update: (JSONValue?) -> JSONValue?
    ) -> JSONValue {
        let id = ResourceID(body)
        return specs.reduce(body) { body, spec in
            spec.selects(id) ? spec.updating(body, creating: creating, update) : body
        }
    }

    private func setNamespace(
        _ namespace: String, _ specs: [FieldSpec], _ options: NamespaceOptions,
        in resources: inout [KustomizeResource]
    ) throws(Failure) {
        guard !namespace.isEmpty else { return }
        let value = JSONValue.string(namespace)
        func set(_ existing: JSONValue?) -> JSONValue? {
            options.unsetOnly && !(existing?.stringValue ?? "").isEmpty ? nil : value
        }
        // metadata.namespace and binding subjects are set by hand, as kustomize does, whatever the specs say.
        let specs = specs.filter { $0.path != ["metadata", "namespace"] && $0.path != ["subjects"] }
        for index in resources.indices {
            resources[index].storePreviousID()
            var body = resources[index].body
            let id = ResourceID(body)
            if !id.isClusterScoped, let namespace = set(body.value(at: ["metadata", "namespace"])) {
                body = body.setting(["metadata", "namespace"], to: namespace)
            }
            if id.kind == "RoleBinding" || id.kind == "ClusterRoleBinding", let subjects = body["subjects"]?.arrayValue
            {
                let updated = subjects.map { subject in
                    let chosen =
                        switch options.subjects {
                        case .defaultOnly: subject["name"]?.stringValue == "default"
                        case .allServiceAccounts: subject["kind"]?.stringValue == "ServiceAccount"
                        case .none: false
                        }
                    guard chosen, let namespace = set(subject["namespace"]) else { return subject }
                    return subject.setting(["namespace"], to: namespace)
                }
                body = body.setting(["subjects"], to: .array(updated))
            }
            resources[index].body = Self.update(body, specs, set)
        }
        var seen: Set<ResourceID> = []
        for resource in resources where !seen.insert(resource.id.identity).inserted {
            throw Failure(message: "setting namespace \(namespace) makes two objects \(resource.id)")
        }
    }

    /// Adds a prefix or suffix to the names the specs select, remembering it (even when empty) as kustomize does
    /// to tell apart objects from different overlays of one base.
    private static func rename(
        _ resources: inout [KustomizeResource], _ specs: [FieldSpec],
        _ affixes: WritableKeyPath<KustomizeResource, [String]>,
        _ affix: String, _ rename: (String) -> String
    ) {
        for index in resources.indices where !FieldSpecs.keepsItsName(resources[index].originalID) {
            let id = resources[index].id
            for spec in specs where spec.selects(id) {
                if spec.path == ["metadata", "name"] {
                    resources[index][keyPath: affixes].append(affix)
                    if !affix.isEmpty { resources[index].storePreviousID() }
                }
                resources[index].body = spec.updating(resources[index].body, creating: false) { existing in
                    existing?.stringValue.map { .string(rename($0)) }
                }
            }
        }
    }

    /// Every `image` in a `containers` or `initContainers` list anywhere in the object, as kustomize's legacy
    /// image filter finds them (this is how CronJobs and custom resources get their images replaced).
    private static func rewritingContainerImages(_ node: JSONValue, _ tag: ImageTag) -> JSONValue {
        switch node {
        case .array(let elements):
            return .array(elements.map { rewritingContainerImages($0, tag) })
        case .object(let object):
            var result = object
            for member in object {
                var value = rewritingContainerImages(member.value, tag)
                if member.key == "containers" || member.key == "initContainers", case .array(let containers) = value {
                    value = .array(
                        containers.map { container in
                            guard let reference = container["image"]?.stringValue,
                                let rewritten = tag.rewrite(reference)
                            else { return container }
                            return container.setting(["image"], to: .string(rewritten))
                        })
                }
                if value != member.value { result = result.setting(member.key, to: value) }
            }
            return .object(result)
        default:
            return node
        }
    }
}
