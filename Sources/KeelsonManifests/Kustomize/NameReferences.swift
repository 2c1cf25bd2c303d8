import KeelsonKubernetes

/// Fixes the fields that name other objects once prefixes, suffixes and hash suffixes have renamed them, as
/// kustomize's name reference transformer does with its builtin `nameReference` configuration.
///
/// A reference is updated to the object it named before the renames: same kind, a previous name equal to the
/// reference, in the referrer's namespace (cluster-scoped objects and ServiceAccounts anywhere); when several
/// objects qualify, the one that went through the same prefixes and suffixes as the referrer.
enum NameReferences {
    /// Why references could not be fixed.
    struct Failure: Error {
        /// Where the referring object was written.
        let location: SourceLocation
        let message: String
    }

    /// A kind that can be referred to, and the fields that refer to it.
    struct Reference: Sendable {
        let group: String?
        let version: String?
        let kind: String
        let referrers: [FieldSpec]
    }

    /// Every resource with the references it holds updated.
    static func fix(_ resources: [KustomizeResource]) throws(Failure) -> [KustomizeResource] {
        var fixed = resources
        for index in fixed.indices {
            let referrer = fixed[index]
            let id = referrer.id
            // As in kustomize, the objects a referrer may name are chosen once, before its fields change.
            var candidates: [KustomizeResource]?
            for reference in builtin {
                for spec in reference.referrers where spec.selects(id) {
                    let subset = candidates ?? resources.filter { couldBeReferenced($0, by: referrer) }
                    candidates = subset
                    var failure: Failure?
                    fixed[index].body = spec.updating(fixed[index].body, creating: false) { node in
                        do throws(Failure) {
                            return try update(node, reference, spec, referrer, subset)
                        } catch {
                            failure = error
                            return nil
                        }
                    }
                    if let failure { throw failure }
                }
            }
        }
        return fixed
    }

    private static func update(
        _ node: JSONValue?, _ reference: Reference, _ spec: FieldSpec, _ referrer: KustomizeResource,
        _ candidates: [KustomizeResource]
    ) throws(Failure) -> JSONValue? {
        switch node {
        case .string(let name):
            return try select(name, reference, spec, referrer, candidates).map { .string($0.id.name) }
        case .object(let object):
            guard let name = object["name"]?.stringValue else { return nil }
            var subset = candidates
            if let namespace = object["namespace"]?.stringValue {
                let original = candidates.filter { effective($0.originalID.namespace) == effective(namespace) }
                subset =
                    original.isEmpty
                    ? candidates.filter { effective($0.id.namespace) == effective(namespace) } : original
            }
            guard let referral = try select(name, reference, spec, referrer, subset) else { return nil }
            let target = referral.id
            if target.name == name && target.namespace.isEmpty { return nil }
            var updated = object.setting("name", to: .string(target.name))
            if !target.namespace.isEmpty { updated = updated.setting("namespace", to: .string(target.namespace)) }
            return .object(updated)
        case .array(let elements):
            var changed = false
            var updated: [JSONValue] = []
            for element in elements {
                let new = try update(element, reference, spec, referrer, candidates)
                changed = changed || new != nil
                updated.append(new ?? element)
            }
            return changed ? .array(updated) : nil
        default:
            return nil
        }
    }

    private static func select(
        _ name: String, _ reference: Reference, _ spec: FieldSpec, _ referrer: KustomizeResource,
        _ candidates: [KustomizeResource]
    ) throws(Failure) -> KustomizeResource? {
        let roleRef = spec.path.suffix(2) == ["roleRef", "name"] ? referrer.body["roleRef"] : nil
        var found = candidates.filter { candidate in
            candidate.previousIDs.contains { $0.name == name }
                && candidate.previousIDs.contains { id in
                    (reference.group.map { $0 == id.group } ?? true)
                        && (reference.version.map { $0 == id.version } ?? true)
                        && id.kind == reference.kind
                }
                && (roleRef.map { roleRef in
                    candidate.previousIDs.contains {
                        $0.group == roleRef["apiGroup"]?.stringValue && $0.kind == roleRef["kind"]?.stringValue
                    }
                } ?? true)
                && (referrer.id.isClusterScoped || candidate.id.isClusterScoped || candidate.id.kind == "ServiceAccount"
                    || candidate.id.isInSameNamespace(as: referrer.id))
        }
        if found.count == 1 { return found[0] }
        found = found.filter {
            sameEnding($0.prefixes, referrer.prefixes) && sameEnding($0.suffixes, referrer.suffixes)
        }
        guard let first = found.first else { return nil }
        guard found.allSatisfy({ $0.id.name == first.id.name }) else {
            throw Failure(
                location: referrer.origin,
                message:
                    "\(referrer.id) refers to \(reference.kind) \(name), which could be any of \(found.map(\.id.description).joined(separator: ", "))"
            )
        }
        return first
    }

    /// kustomize's rule for which objects a referrer may name: any when it is cluster-scoped, otherwise
    /// cluster-scoped ones, those in its namespace, and for a RoleBinding those in its subjects' namespaces.
    private static func couldBeReferenced(_ candidate: KustomizeResource, by referrer: KustomizeResource) -> Bool {
        let referrerID = referrer.id
        let candidateID = candidate.id
        if referrerID.isClusterScoped || candidateID.isClusterScoped || candidateID.isInSameNamespace(as: referrerID) {
            return true
        }
        guard referrerID.kind == "RoleBinding" else { return false }
        return (referrer.body["subjects"]?.arrayValue ?? []).contains {
            $0["namespace"]?.stringValue == candidateID.namespace
        }
    }

    private static func effective(_ namespace: String) -> String {
        namespace.isEmpty ? "default" : namespace
    }

    /// Whether the shorter list is the end of the longer one (both empty counts; one empty does not).
    private static func sameEnding(_ lhs: [String], _ rhs: [String]) -> Bool {
        let (short, long) = lhs.count <= rhs.count ? (lhs, rhs) : (rhs, lhs)
        if short.isEmpty { return long.isEmpty }
        return Array(long.suffix(short.count)) == short
    }
}
