extension JSONObject {
    /// The object with `key` set to `value`, or without `key` when `value` is `nil`.
    public func setting(_ key: String, to value: JSONValue?) -> JSONObject {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            if Self.precedes(members[middle].key, key) { low = middle + 1 } else { high = middle }
        }
        var edited = members
        let found = low < members.count && Self.same(members[low].key, key)
        switch (found, value) {
        case (true, let value?): edited[low] = Member(key: key, value: value)
        case (true, nil): edited.remove(at: low)
        case (false, let value?): edited.insert(Member(key: key, value: value), at: low)
        case (false, nil): return self
        }
        return JSONObject(sorted: edited)
    }
}

extension JSONValue {
    /// The value at a path of object keys, or `nil` when a step is missing or not an object.
    public func value(at path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    /// The value with the member at `path` set to `value` (removed when `nil`), creating objects along the way.
    ///
    /// A step that holds something other than an object is replaced by one.
    public func setting(_ path: ArraySlice<String>, to value: JSONValue?) -> JSONValue {
        guard let key = path.first else { return value ?? .null }
        let object = objectValue ?? JSONObject([])
        if path.count == 1 { return .object(object.setting(key, to: value)) }
        let child = object[key] ?? .object(JSONObject([]))
        return .object(object.setting(key, to: child.setting(path.dropFirst(), to: value)))
    }

    /// A string map (labels, annotations, `data`) at `path`, empty when absent; values that are not strings are skipped.
    public func stringMap(at path: [String]) -> [(key: String, value: String)] {
        (value(at: path)?.objectValue ?? JSONObject([])).compactMap { member in
            member.value.stringValue.map { (member.key, $0) }
        }
    }

    /// ``stringMap(at:)`` by key, as an API server keeps `metadata.labels` and `metadata.annotations`.
    public func strings(at path: [String]) -> [String: String] {
        Dictionary(stringMap(at: path), uniquingKeysWith: { _, last in last })
    }
}
