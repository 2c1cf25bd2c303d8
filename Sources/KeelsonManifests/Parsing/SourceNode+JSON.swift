import KeelsonKubernetes

extension SourceNode {
    /// A node for `value`, placed at the lines of `original` where the same field still exists, and at the
    /// nearest enclosing field's line elsewhere: how a transformed object keeps pointing at its source.
    ///
    /// - Parameters:
    ///   - value: The value now.
    ///   - original: The parsed node it was derived from, if any.
    ///   - line: The line for fields `original` does not have.
    init(_ value: JSONValue, original: SourceNode?, line: Int) {
        let line = original?.line ?? line
        switch value {
        case .array(let elements):
            let originals: [SourceNode]? =
                if case .sequence(let nodes) = original?.content { nodes } else { nil }
            self.init(
                line: line,
                content: .sequence(
                    elements.enumerated().map { index, element in
                        SourceNode(
                            element, original: originals.flatMap { $0.indices.contains(index) ? $0[index] : nil },
                            line: line)
                    }))
        case .object(let object):
            self.init(
                line: line,
                content: .mapping(
                    object.map { member in
                        (member.key, SourceNode(member.value, original: original?[member.key], line: line))
                    }))
        default:
            self.init(line: line, content: .scalar(value))
        }
    }
}
