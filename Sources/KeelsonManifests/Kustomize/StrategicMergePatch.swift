import KeelsonKubernetes

/// A strategic merge patch as kustomize applies it (kyaml's `merge2`, lists growing at the front).
///
/// Mappings merge field by field and `null` deletes a field. Lists of mappings that share a key merge element
/// by element: `containers`, `volumes`, `env` and `imagePullSecrets` by `name`, `volumeMounts` by
/// `mountPath`, container `ports` by `containerPort`, Service `ports` by `port`, and other lists whose elements
/// all carry one of kustomize's merge keys. The patch's elements come first, in the patch's order, followed by
/// the others. Any other list is replaced. `$patch: delete` removes a list element (or the whole object) and
/// `$patch: replace` replaces a mapping or, as a list element, the list.
enum StrategicMergePatch {
    /// Why a patch could not be applied.
    struct Failure: Error {
        let message: String
    }

    /// The keys kustomize tries, in order, to merge lists of mappings it has no schema for.
    private static let inferredKeys = ["mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort"]

    /// `patch` merged into `target`, or `nil` when the patch deletes the object.
    static func apply(_ patch: JSONValue, to target: JSONValue) throws(Failure) -> JSONValue? {
        try merge(patch, into: target, path: [], kind: target["kind"]?.stringValue ?? "")
    }

    private static func merge(
        _ patch: JSONValue, into target: JSONValue?, path: [String], kind: String
    ) throws(Failure) -> JSONValue? {
        switch patch {
        case .object(let patchObject):
            switch try directive(patchObject, path: path) {
            case "delete": return nil
            case "replace":
                return try merge(.object(patchObject.setting("$patch", to: nil)), into: nil, path: path, kind: kind)
            default: break
            }
            var result = target?.objectValue ?? JSONObject([])
            for member in patchObject where member.key != "$patch" {
                let merged: JSONValue? =
                    member.value == .null
                    ? nil : try merge(member.value, into: result[member.key], path: path + [member.key], kind: kind)
                result = result.setting(member.key, to: merged)
            }
            return .object(result)
        case .array(let patchElements):
            return .array(try mergeList(patchElements, into: target?.arrayValue ?? [], path: path, kind: kind))
        default:
            return patch
        }
    }

    private static func directive(_ object: JSONObject, path: [String]) throws(Failure) -> String? {
        if let unsupported = object.keys.first(where: { $0.hasPrefix("$") && $0 != "$patch" }) {
            throw Failure(message: "\(describe(path)): the directive \(unsupported) is not supported by Keelson")
        }
        guard let value = object["$patch"] else { return nil }
        guard let directive = value.stringValue, ["delete", "replace", "merge"].contains(directive) else {
            throw Failure(message: "\(describe(path)): expected $patch: delete, replace or merge")
        }
        return directive
    }

    private static func mergeList(
        _ patch: [JSONValue], into target: [JSONValue], path: [String], kind: String
    ) throws(Failure) -> [JSONValue] {
        if let replace = patch.firstIndex(where: { $0["$patch"]?.stringValue == "replace" }) {
            var rest = patch
            rest.remove(at: replace)
            return try mergeList(rest, into: [], path: path, kind: kind)
        }
        guard let key = mergeKey(path: path, kind: kind, lists: [target, patch]) else {
            var replaced: [JSONValue] = []
            for element in patch {
                if let merged = try merge(element, into: nil, path: path, kind: kind) { replaced.append(merged) }
            }
            return replaced
        }
        func keyValue(_ element: JSONValue) -> JSONValue? { element[key] }
        var order: [JSONValue] = []
        for element in patch + target {
            if let value = keyValue(element), !order.contains(value) { order.append(value) }
        }
        var result: [JSONValue] = []
        for value in order {
            let existing = target.first { keyValue($0) == value }
            guard let patchElement = patch.first(where: { keyValue($0) == value }) else {
                result.append(existing!)
                continue
            }
            guard var merged = try merge(patchElement, into: existing, path: path, kind: kind) else { continue }
            if merged[key] == nil { merged = merged.setting([key], to: value) }
            result.append(merged)
        }
        // Elements without the key are kept after the others.
        result += target.filter { keyValue($0) == nil }
        for element in patch where keyValue(element) == nil {
            if let merged = try merge(element, into: nil, path: path, kind: kind) { result.append(merged) }
        }
        return result
    }

    /// The key that identifies the elements of the list at `path`, or `nil` when the list is replaced.
    private static func mergeKey(path: [String], kind: String, lists: [[JSONValue]]) -> String? {
        let elements = lists.joined()
        guard !elements.isEmpty, elements.allSatisfy({ $0.objectValue != nil }) else { return nil }
        if path.last == "ports" {
            let inPod = path.contains { ["containers", "initContainers", "ephemeralContainers"].contains($0) }
            if inPod { return "containerPort" }
            if kind == "Service" { return "port" }
        }
        guard elements.allSatisfy({ element in inferredKeys.contains { element[$0] != nil } }) else { return nil }
        let first = lists.first { !$0.isEmpty }?.first
        return inferredKeys.first { first?[$0] != nil }
    }

    private static func describe(_ path: [String]) -> String {
        path.isEmpty ? "the patch" : path.joined(separator: ".")
    }
}
