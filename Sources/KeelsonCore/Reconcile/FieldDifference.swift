import KeelsonKubernetes

/// A field whose live value is not the one git asks for.
public struct FieldDifference: Codable, Sendable, Hashable, CustomStringConvertible {
    /// `spec.replicas`, `spec.template.spec.containers[name=web].image`, …
    public var path: String
    /// The desired value as compact JSON.
    public var desired: String
    /// The live value as compact JSON, nil when live lacks the field.
    public var live: String?

    public init(path: String, desired: String, live: String?) {
        self.path = path
        self.desired = desired
        self.live = live
    }

    public var description: String { "\(path): git has \(desired), live has \(live ?? "nothing")" }

    /// The fields of `desired` whose live value differs, as server-side apply sees it: only fields
    /// git sets count (defaults and fields others own are not drift); lists of objects with a `name`
    /// are matched by name, other lists element by element.
    static func differences(desired: JSONValue, live: JSONValue?, path: String) -> [FieldDifference] {
        switch (desired, live) {
        case (.object(let wanted), .object(let actual)?):
            return wanted.flatMap { member in
                differences(desired: member.value, live: actual[member.key], path: join(path, member.key))
            }
        case (.array(let wanted), .array(let actual)?):
            if let named = namedElements(wanted), let liveByName = namedElements(actual).map(indexByName) {
                return named.flatMap { name, element in
                    differences(desired: element, live: liveByName[name], path: "\(path)[name=\(name)]")
                }
            }
            guard wanted.count == actual.count else { return [difference(path, desired, live)] }
            return zip(wanted, actual).enumerated().flatMap { index, pair in
                differences(desired: pair.0, live: pair.1, path: "\(path)[\(index)]")
            }
        case (.int(let wanted), .double(let actual)?) where Double(wanted) == actual:
            return []
        case (.double(let wanted), .int(let actual)?) where wanted == Double(actual):
            return []
        default:
            return desired == live ? [] : [difference(path, desired, live)]
        }
    }

    private static func namedElements(_ elements: [JSONValue]) -> [(String, JSONValue)]? {
        var named: [(String, JSONValue)] = []
        for element in elements {
            guard let name = element["name"]?.stringValue else { return nil }
            named.append((name, element))
        }
        return named.isEmpty ? nil : named
    }

    private static func indexByName(_ named: [(String, JSONValue)]) -> [String: JSONValue] {
        Dictionary(named, uniquingKeysWith: { first, _ in first })
    }

    private static func difference(_ path: String, _ desired: JSONValue, _ live: JSONValue?) -> FieldDifference {
        FieldDifference(path: path, desired: desired.canonicalText, live: live?.canonicalText)
    }

    private static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
