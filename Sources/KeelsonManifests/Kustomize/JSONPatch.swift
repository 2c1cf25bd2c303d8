import KeelsonKubernetes

/// An RFC 6902 JSON Patch (`add`, `remove`, `replace`, `move`, `copy`, `test`) applied to a ``JSONValue``.
struct JSONPatch: Sendable {
    /// Why a patch could not be read or applied.
    struct Failure: Error {
        let message: String
    }

    private struct Operation: Sendable {
        let op: String
        let path: [String]
        let pathText: String
        let from: [String]?
        let value: JSONValue?
    }

    private let operations: [Operation]

    /// Reads a patch: a list of operations such as `{op: replace, path: /spec/replicas, value: 3}`.
    init(_ value: JSONValue) throws(Failure) {
        guard let list = value.arrayValue else { throw Failure(message: "expected a list of JSON patch operations") }
        var operations: [Operation] = []
        for (index, element) in list.enumerated() {
            guard let op = element["op"]?.stringValue, let path = element["path"]?.stringValue else {
                throw Failure(message: "operation \(index): expected op and path")
            }
            guard ["add", "remove", "replace", "move", "copy", "test"].contains(op) else {
                throw Failure(
                    message: "operation \(index): expected add, remove, replace, move, copy or test, found \"\(op)\"")
            }
            let needsValue = ["add", "replace", "test"].contains(op)
            let needsFrom = ["move", "copy"].contains(op)
            guard !needsValue || element["value"] != nil, !needsFrom || element["from"]?.stringValue != nil else {
                throw Failure(
                    message: "operation \(index) (\(op) \(path)): expected \(needsValue ? "a value" : "from")")
            }
            operations.append(
                Operation(
                    op: op, path: try Self.pointer(path, index: index), pathText: path,
                    from: try element["from"]?.stringValue.map { path throws(Failure) in
                        try Self.pointer(path, index: index)
                    },
                    value: element["value"]))
        }
        self.operations = operations
    }

    /// The document with every operation applied in order.
    func apply(to document: JSONValue) throws(Failure) -> JSONValue {
        var document = document
        for (index, operation) in operations.enumerated() {
            do throws(Failure) {
                document = try Self.apply(operation, to: document)
            } catch {
                throw Failure(message: "operation \(index) (\(operation.op) \(operation.pathText)): \(error.message)")
            }
        }
        return document
    }

    private static func apply(_ operation: Operation, to document: JSONValue) throws(Failure) -> JSONValue {
        switch operation.op {
        case "add": return try add(operation.value!, at: operation.path[...], in: document)
        case "remove": return try remove(operation.path[...], in: document).document
        case "replace":
            return try add(
                operation.value!, at: operation.path[...], in: remove(operation.path[...], in: document).document)
        case "move":
            let (removed, value) = try remove(operation.from![...], in: document)
            return try add(value, at: operation.path[...], in: removed)
        case "copy":
            return try add(try value(at: operation.from![...], in: document), at: operation.path[...], in: document)
        default:
            guard try value(at: operation.path[...], in: document).isEqual(to: operation.value!) else {
                throw Failure(message: "the value differs from the expected one")
            }
            return document
        }
    }

    private static func value(at path: ArraySlice<String>, in node: JSONValue) throws(Failure) -> JSONValue {
        guard let step = path.first else { return node }
        switch node {
        case .object(let object):
            guard let child = object[step] else { throw Failure(message: "there is no \(step) there") }
            return try value(at: path.dropFirst(), in: child)
        case .array(let elements):
            guard let index = Int(step), elements.indices.contains(index) else {
                throw Failure(message: "there is no element \(step) in a list of \(elements.count)")
            }
            return try value(at: path.dropFirst(), in: elements[index])
        default:
            throw Failure(message: "\(step) is inside a value that is neither a mapping nor a list")
        }
    }

    private static func add(_ value: JSONValue, at path: ArraySlice<String>, in node: JSONValue) throws(Failure)
        -> JSONValue
    {
        guard let step = path.first else { return value }
        switch node {
        case .object(let object):
            if path.count == 1 { return .object(object.setting(step, to: value)) }
            guard let child = object[step] else { throw Failure(message: "there is no \(step) there") }
            return .object(object.setting(step, to: try add(value, at: path.dropFirst(), in: child)))
        case .array(var elements):
            if path.count == 1 {
                let index = step == "-" ? elements.count : Int(step) ?? -1
                guard (0...elements.count).contains(index) else {
                    throw Failure(message: "cannot insert at \(step) in a list of \(elements.count)")
                }
                elements.insert(value, at: index)
                return .array(elements)
            }
            guard let index = Int(step), elements.indices.contains(index) else {
                throw Failure(message: "there is no element \(step) in a list of \(elements.count)")
            }
            elements[index] = try add(value, at: path.dropFirst(), in: elements[index])
            return .array(elements)
        default:
            throw Failure(message: "\(step) is inside a value that is neither a mapping nor a list")
        }
    }

    private static func remove(_ path: ArraySlice<String>, in node: JSONValue) throws(Failure)
        -> (document: JSONValue, removed: JSONValue)
    {
        guard let step = path.first else { throw Failure(message: "cannot remove the whole document") }
        switch node {
        case .object(let object):
            guard let child = object[step] else { throw Failure(message: "there is no \(step) there") }
            if path.count == 1 { return (.object(object.setting(step, to: nil)), child) }
            let (updated, removed) = try remove(path.dropFirst(), in: child)
            return (.object(object.setting(step, to: updated)), removed)
        case .array(var elements):
            guard let index = Int(step), elements.indices.contains(index) else {
                throw Failure(message: "there is no element \(step) in a list of \(elements.count)")
            }
            if path.count == 1 {
                let removed = elements.remove(at: index)
                return (.array(elements), removed)
            }
            let (updated, removed) = try remove(path.dropFirst(), in: elements[index])
            elements[index] = updated
            return (.array(elements), removed)
        default:
            throw Failure(message: "\(step) is inside a value that is neither a mapping nor a list")
        }
    }

    /// The keys of a JSON pointer such as `/metadata/annotations/example.com~1owner`.
    private static func pointer(_ text: String, index: Int) throws(Failure) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else {
            throw Failure(message: "operation \(index): expected a path starting with /, found \"\(text)\"")
        }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
            var key = ""
            var escaped = false
            for character in token {
                if escaped {
                    key.append(character == "1" ? "/" : character == "0" ? "~" : character)
                    escaped = false
                } else if character == "~" {
                    escaped = true
                } else {
                    key.append(character)
                }
            }
            return key
        }
    }
}

extension JSONValue {
    /// Equality as JSON means it: `1` and `1.0` are the same number.
    func isEqual(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let int), .double(let double)), (.double(let double), .int(let int)): Double(int) == double
        case (.array(let lhs), .array(let rhs)):
            lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.isEqual(to: $1) }
        case (.object(let lhs), .object(let rhs)):
            lhs.keys == rhs.keys && zip(lhs, rhs).allSatisfy { $0.value.isEqual(to: $1.value) }
        default: self == other
        }
    }
}
