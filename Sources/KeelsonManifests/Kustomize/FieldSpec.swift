import KeelsonKubernetes

/// Where a kustomize transformer writes: the kinds it applies to and a `/`-separated path, kustomize's
/// `fieldSpecs` entry.
///
/// A path step that reaches a list applies to every element (`containers/image`); a step written `name[]` says
/// the field is a list. `\/` escapes a `/` inside a key (`metadata/annotations/example.com\/owner`).
struct FieldSpec: Sendable, Hashable {
    /// The group, version and kind this spec is limited to; `nil` matches any.
    var group: String?
    var version: String?
    var kind: String?
    /// The path's steps, `[]` kept on list steps.
    var path: [String]
    /// Whether missing fields along the path are created.
    var create: Bool

    init(_ path: String, group: String? = nil, version: String? = nil, kind: String? = nil, create: Bool = false) {
        self.group = group
        self.version = version
        self.kind = kind
        self.path = Self.split(path)
        self.create = create
    }

    /// Whether the spec applies to an object of this type.
    func selects(_ id: ResourceID) -> Bool {
        (group.map { $0 == id.group } ?? true) && (version.map { $0 == id.version } ?? true)
            && (kind.map { $0 == id.kind } ?? true)
    }

    /// The object with `update` applied to the value at this spec's path (`nil` when the field is missing and
    /// may be created); returning `nil` leaves the field as it was.
    ///
    /// - Parameter creating: Whether the transformer creates fields at all; when it does, missing fields are
    ///   created (as mappings along the way) if ``create`` is set.
    func updating(_ body: JSONValue, creating: Bool = true, _ update: (JSONValue?) -> JSONValue?) -> JSONValue {
        Self.walk(body, path[...], create: create && creating, update)
    }

    private static func walk(
        _ node: JSONValue, _ path: ArraySlice<String>, create: Bool, _ update: (JSONValue?) -> JSONValue?
    ) -> JSONValue {
        guard let step = path.first else { return update(node) ?? node }
        switch node {
        case .array(let elements):
            return .array(elements.map { walk($0, path, create: create, update) })
        case .object(let object):
            let isList = step.hasSuffix("[]")
            let key = isList ? String(step.dropLast(2)) : step
            if let child = object[key], child != .null {
                return .object(object.setting(key, to: walk(child, path.dropFirst(), create: create, update)))
            }
            guard create, !isList else { return node }
            if path.count == 1 {
                return update(nil).map { .object(object.setting(key, to: $0)) } ?? node
            }
            let created = walk(.object(JSONObject([])), path.dropFirst(), create: create, update)
            return .object(object.setting(key, to: created))
        default:
            return node
        }
    }

    private static func split(_ path: String) -> [String] {
        var steps: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if let last = steps.last, last.hasSuffix("\\") {
                steps[steps.count - 1] = String(last.dropLast()) + "/" + part
            } else {
                steps.append(String(part))
            }
        }
        return steps
    }
}
