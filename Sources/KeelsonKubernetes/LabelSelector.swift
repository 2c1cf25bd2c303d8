/// A Kubernetes label selector.
public struct LabelSelector: KubernetesJSON, Hashable {
    /// Labels that must all be present with these values.
    public let matchLabels: [String: String]
    /// `matchExpressions` as written, kept raw.
    public let matchExpressions: [JSONValue]

    /// Creates a selector.
    public init(matchLabels: [String: String], matchExpressions: [JSONValue] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// Whether the selector selects nothing in particular (no labels, no expressions).
    public var isEmpty: Bool { matchLabels.isEmpty && matchExpressions.isEmpty }

    /// Whether a set of labels satisfies the selector.
    ///
    /// Expressions use the operators `In`, `NotIn`, `Exists` and `DoesNotExist`; malformed expressions,
    /// which validation reports separately, match nothing.
    ///
    /// - Parameter labels: The labels of a pod or pod template.
    /// - Returns: `true` when every label and every expression matches.
    public func matches(_ labels: [String: String]) -> Bool {
        for (key, value) in matchLabels where labels[key] != value { return false }
        for expression in matchExpressions {
            guard let key = expression["key"]?.stringValue, let op = expression["operator"]?.stringValue else {
                return false
            }
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            let label = labels[key]
            switch op {
            case "In": if label.map({ !values.contains($0) }) ?? true { return false }
            case "NotIn": if let label, values.contains(label) { return false }
            case "Exists": if label == nil { return false }
            case "DoesNotExist": if label != nil { return false }
            default: return false
            }
        }
        return true
    }

    public init(json: JSONValue) throws(APIFieldError) {
        let expressions: [JSONValue]
        switch json["matchExpressions"] {
        case nil, .null?: expressions = []
        case .array(let elements)?: expressions = elements
        default: throw APIFieldError(field: "matchExpressions", "expected a list")
        }
        self.init(matchLabels: try json.stringMap("matchLabels"), matchExpressions: expressions)
    }

    public var json: JSONValue {
        .object(
            JSONObject.omittingNil([
                ("matchLabels", matchLabels.isEmpty ? nil : JSONObject.strings(matchLabels)),
                ("matchExpressions", matchExpressions.isEmpty ? nil : .array(matchExpressions)),
            ]))
    }
}
