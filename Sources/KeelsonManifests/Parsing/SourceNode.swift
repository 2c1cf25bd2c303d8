import KeelsonKubernetes
import Yams

/// A parsed YAML node with the line it starts on, the input of decoding and validation.
///
/// Yams' `Node` is neither `Sendable` nor cheap to keep, so documents are converted once into this tree;
/// scalars are resolved to JSON types here with Kubernetes' YAML 1.1 rules (see ``ScalarResolver``).
struct SourceNode: Sendable {
    enum Content: Sendable {
        case scalar(JSONValue)
        case sequence([SourceNode])
        case mapping([(key: String, value: SourceNode)])
    }

    let line: Int
    let content: Content

    /// The member named `key` when this node is a mapping.
    subscript(key: String) -> SourceNode? {
        guard case .mapping(let entries) = content else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The node as a JSON value.
    var json: JSONValue {
        switch content {
        case .scalar(let value):
            value
        case .sequence(let nodes):
            .array(nodes.map(\.json))
        case .mapping(let entries):
            .object(JSONObject(entries.map { ($0.key, $0.value.json) }))
        }
    }

    var isNull: Bool {
        if case .scalar(.null) = content { return true }
        return false
    }

    /// How the node is described in "expected …, found …" messages.
    var foundDescription: String {
        switch content {
        case .scalar(.null): "null"
        case .scalar(.bool(let bool)): "boolean \(bool)"
        case .scalar(.int(let int)): "integer \(int)"
        case .scalar(.double(let double)): "number \(double)"
        case .scalar(.string(let string)):
            string.count > 40 ? "string \"\(string.prefix(40))…\"" : "string \"\(string)\""
        case .scalar: "a JSON value"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

extension SourceNode {
    /// State shared by one document's conversion.
    struct Conversion {
        enum PathComponent {
            case key(String)
            case index(Int)
        }

        var issues = FileIssues()
        /// Nodes left before conversion stops: aliases can make a small file expand exponentially.
        var remainingNodes: Int
        /// The path of the node being converted, turned into text only when a problem is reported.
        var path: [PathComponent] = []

        var pathText: String {
            var text = ""
            for component in path {
                switch component {
                case .key(let key): text += text.isEmpty ? key : ".\(key)"
                case .index(let index): text += "[\(index)]"
                }
            }
            return text
        }

        mutating func error(line: Int, _ message: String, _ category: ManifestError.Category) {
            issues.error(line: line, field: pathText, message, category)
        }
    }

    /// Converts a Yams node, reporting keys and values JSON cannot hold.
    ///
    /// - Parameters:
    ///   - node: The Yams node.
    ///   - conversion: Collects problems (conversion continues past them), counts nodes, tracks the path.
    init(_ node: Node, conversion: inout Conversion) {
        let line = node.mark?.line ?? 1
        conversion.remainingNodes -= 1
        if conversion.remainingNodes == 0 {
            conversion.error(
                line: line,
                "expected a manifest of reasonable size, but the document expands to too many values (YAML aliases?)",
                .oversized)
        }
        guard conversion.remainingNodes > 0 else {
            self.init(line: line, content: .scalar(.null))
            return
        }
        switch node {
        case .scalar(let scalar):
            let value = ScalarResolver.resolve(scalar)
            if case .double(let double) = value, !double.isFinite {
                conversion.error(line: line, "expected a finite number, found \(scalar.string)", .type)
            }
            self.init(line: line, content: .scalar(value))
        case .sequence(let sequence):
            var nodes: [SourceNode] = []
            nodes.reserveCapacity(sequence.count)
            for (index, element) in sequence.enumerated() {
                conversion.path.append(.index(index))
                nodes.append(SourceNode(element, conversion: &conversion))
                conversion.path.removeLast()
            }
            self.init(line: line, content: .sequence(nodes))
        case .mapping(let mapping):
            var entries: [(key: String, value: SourceNode)] = []
            var merged: [(key: String, value: SourceNode)] = []
            entries.reserveCapacity(mapping.count)
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    conversion.error(
                        line: keyNode.mark?.line ?? line,
                        "expected a string key, found a \(keyNode.sequence != nil ? "list" : "mapping") used as a key",
                        .type)
                    continue
                }
                let key = keyScalar.string
                conversion.path.append(.key(key))
                // A field is located at its key, also when its value is a block starting on the next line.
                let parsed = SourceNode(valueNode, conversion: &conversion)
                conversion.path.removeLast()
                let value = SourceNode(line: keyScalar.mark?.line ?? parsed.line, content: parsed.content)
                if ScalarResolver.isMergeKey(keyScalar) {
                    Self.merge(value, into: &merged, line: keyScalar.mark?.line ?? line, conversion: &conversion)
                } else {
                    entries.append((key, value))
                }
            }
            // Keys written in the mapping itself win over merged ones.
            for entry in merged where !entries.contains(where: { $0.key == entry.key }) {
                entries.append(entry)
            }
            self.init(line: line, content: .mapping(entries))
        case .alias(let alias):
            // Yams resolves aliases while composing; an unresolved one is reported as a syntax error there.
            conversion.error(line: alias.mark?.line ?? line, "unresolved YAML alias", .syntax)
            self.init(line: line, content: .scalar(.null))
        }
    }

    /// Collects the entries of a YAML merge key (`<<: *defaults` or `<<: [*a, *b]`); earlier sources win.
    private static func merge(
        _ value: SourceNode, into entries: inout [(key: String, value: SourceNode)], line: Int,
        conversion: inout Conversion
    ) {
        let sources: [SourceNode]
        switch value.content {
        case .mapping: sources = [value]
        case .sequence(let nodes): sources = nodes
        case .scalar: sources = []
        }
        for source in sources {
            guard case .mapping(let merged) = source.content else {
                conversion.error(
                    line: line, "expected a mapping to merge with <<, found \(source.foundDescription)", .type)
                continue
            }
            for entry in merged where !entries.contains(where: { $0.key == entry.key }) {
                entries.append(entry)
            }
        }
        if case .scalar = value.content {
            conversion.error(line: line, "expected a mapping to merge with <<, found \(value.foundDescription)", .type)
        }
    }
}
