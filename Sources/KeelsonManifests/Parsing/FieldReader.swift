import KeelsonKubernetes

/// Typed access to the fields of a ``SourceNode`` that records a located error for every wrong type.
///
/// Absent and `null` fields read as `nil` without an error (Kubernetes treats both as unset);
/// present fields of the wrong type read as `nil` and add an "expected …, found …" error.
struct FieldReader {
    var issues = FileIssues()

    static func path(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    mutating func mapping(_ node: SourceNode?, field: String) -> SourceNode? {
        guard let node, !node.isNull else { return nil }
        guard case .mapping = node.content else {
            issues.error(line: node.line, field: field, "expected a mapping, found \(node.foundDescription)", .type)
            return nil
        }
        return node
    }

    mutating func list(_ node: SourceNode?, field: String) -> [SourceNode]? {
        guard let node, !node.isNull else { return nil }
        guard case .sequence(let elements) = node.content else {
            issues.error(line: node.line, field: field, "expected a list, found \(node.foundDescription)", .type)
            return nil
        }
        return elements
    }

    mutating func string(_ node: SourceNode?, field: String) -> String? {
        guard let node, !node.isNull else { return nil }
        guard case .scalar(.string(let string)) = node.content else {
            issues.error(line: node.line, field: field, "expected a string, found \(node.foundDescription)", .type)
            return nil
        }
        return string
    }

    mutating func bool(_ node: SourceNode?, field: String) -> Bool? {
        guard let node, !node.isNull else { return nil }
        guard case .scalar(.bool(let bool)) = node.content else {
            issues.error(
                line: node.line, field: field, "expected a boolean (true or false), found \(node.foundDescription)",
                .type)
            return nil
        }
        return bool
    }

    /// A 32-bit integer (Kubernetes' `int32`), optionally required to be at least zero.
    mutating func int32(_ node: SourceNode?, field: String, nonNegative: Bool = true) -> Int? {
        guard let node, !node.isNull else { return nil }
        guard case .scalar(.int(let int)) = node.content else {
            issues.error(line: node.line, field: field, "expected an integer, found \(node.foundDescription)", .type)
            return nil
        }
        guard int <= Int(Int32.max), int >= Int(Int32.min) else {
            issues.error(line: node.line, field: field, "expected a 32-bit integer, found \(int)", .invalid)
            return nil
        }
        if nonNegative, int < 0 {
            issues.error(
                line: node.line, field: field, "expected a value greater than or equal to 0, found \(int)", .invalid)
            return nil
        }
        return int
    }

    /// A mapping of strings to strings, as labels, annotations and `matchLabels` are.
    mutating func stringMap(_ node: SourceNode?, field: String) -> [String: String]? {
        guard let node = mapping(node, field: field), case .mapping(let entries) = node.content else { return nil }
        var map: [String: String] = [:]
        for entry in entries {
            if let value = string(entry.value, field: Self.path(field, entry.key)) {
                map[entry.key] = value
            }
        }
        return map
    }
}
