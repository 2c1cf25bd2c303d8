import Foundation
import KeelsonKubernetes

/// A patch's `target`: the objects it applies to, as kustomize selects them.
///
/// `group`, `version`, `kind`, `name` and `namespace` are regular expressions matched against the whole value;
/// the name and namespace match the object's original or current one. `labelSelector` and
/// `annotationSelector` use Kubernetes' selector syntax (`app=web,tier!=db,canary`, `env in (a,b)`).
struct ResourceSelector: Sendable {
    /// Why a selector cannot be used.
    struct Invalid: Error {
        let message: String
    }

    private let patterns: [String: Pattern]
    private let labels: [Requirement]
    private let annotations: [Requirement]

    init(_ values: [String: String]) throws(Invalid) {
        var patterns: [String: Pattern] = [:]
        for key in ["group", "version", "kind", "name", "namespace"] {
            guard let value = values[key], !value.isEmpty else { continue }
            patterns[key] = try Pattern(value, field: key)
        }
        self.patterns = patterns
        labels = try Self.requirements(values["labelSelector"], field: "labelSelector")
        annotations = try Self.requirements(values["annotationSelector"], field: "annotationSelector")
    }

    /// Whether the selector picks `resource`.
    func selects(_ resource: KustomizeResource) -> Bool {
        let current = resource.id
        let original = resource.originalID
        func matches(_ key: String, _ values: String...) -> Bool {
            patterns[key].map { pattern in values.contains { pattern.matches($0) } } ?? true
        }
        return matches("namespace", Self.effective(original.namespace), Self.effective(current.namespace))
            && matches("name", original.name, current.name) && matches("group", current.group)
            && matches("version", current.version) && matches("kind", current.kind)
            && Self.satisfies(labels, resource.body.stringMap(at: ["metadata", "labels"]))
            && Self.satisfies(annotations, resource.body.stringMap(at: ["metadata", "annotations"]))
    }

    private static func effective(_ namespace: String) -> String {
        namespace.isEmpty ? "default" : namespace
    }

    private struct Pattern: Sendable {
        let anchored: String

        init(_ text: String, field: String) throws(Invalid) {
            anchored = "^(?:\(text))$"
            guard (try? NSRegularExpression(pattern: anchored)) != nil else {
                throw Invalid(message: "\(field): expected a regular expression, found \"\(text)\"")
            }
        }

        func matches(_ value: String) -> Bool {
            // Compiled again on each use: selectors are few and small, and this keeps the type Sendable.
            let expression = try? NSRegularExpression(pattern: anchored)
            return expression?.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        }
    }

    private enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case exists(String)
        case absent(String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)

        func isSatisfied(by map: [String: String]) -> Bool {
            switch self {
            case .equals(let key, let value): map[key] == value
            case .notEquals(let key, let value): map[key] != value
            case .exists(let key): map[key] != nil
            case .absent(let key): map[key] == nil
            case .isIn(let key, let values): map[key].map(values.contains) ?? false
            case .notIn(let key, let values): !(map[key].map(values.contains) ?? false)
            }
        }
    }

    private static func satisfies(_ requirements: [Requirement], _ pairs: [(key: String, value: String)]) -> Bool {
        let map = Dictionary(pairs, uniquingKeysWith: { $1 })
        return requirements.allSatisfy { $0.isSatisfied(by: map) }
    }

    private static func requirements(_ text: String?, field: String) throws(Invalid) -> [Requirement] {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        var requirements: [Requirement] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            // Commas inside `in (a,b)` do not end a requirement.
            var depth = 0
            let end =
                rest.firstIndex { character in
                    if character == "(" { depth += 1 }
                    if character == ")" { depth -= 1 }
                    return character == "," && depth == 0
                } ?? rest.endIndex
            requirements.append(try requirement(rest[..<end].trimmingCharacters(in: .whitespaces), field: field))
            rest = end == rest.endIndex ? "" : rest[rest.index(after: end)...]
        }
        return requirements
    }

    private static func requirement(_ text: String, field: String) throws(Invalid) -> Requirement {
        let invalid = Invalid(message: "\(field): expected a selector such as app=web,tier!=db, found \"\(text)\"")
        for (operator_, make) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)]
        {
            if let range = text.range(of: operator_) {
                let key = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty else { throw invalid }
                return make(key, text[range.upperBound...].trimmingCharacters(in: .whitespaces))
            }
        }
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2, let open = words[1].firstIndex(of: "("), words[1].hasSuffix(")") {
            let operation = words[1][..<open].trimmingCharacters(in: .whitespaces)
            let values = Set(
                words[1][words[1].index(after: open)..<words[1].index(before: words[1].endIndex)]
                    .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            switch operation {
            case "in": return .isIn(words[0], values)
            case "notin": return .notIn(words[0], values)
            default: throw invalid
            }
        }
        guard words.count == 1, !text.isEmpty else { throw invalid }
        return text.hasPrefix("!") ? .absent(String(text.dropFirst())) : .exists(text)
    }
}
