/// A JSON object whose members are stored sorted by the UTF-8 bytes of their keys.
///
/// Sorting once at construction makes iteration order, canonical serialisation and content hashes
/// independent of the source file's key order. Lookups use binary search.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection {
    /// One key and its value.
    public struct Member: Sendable, Hashable {
        /// The member's key.
        public let key: String
        /// The member's value.
        public let value: JSONValue

        /// Creates a member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members, sorted by the UTF-8 bytes of their keys, keys unique.
    public let members: [Member]

    /// Creates an object from key–value pairs.
    ///
    /// When a key occurs more than once the last occurrence wins, as it does for JSON decoders.
    ///
    /// - Parameter pairs: The members in any order.
    public init(_ pairs: [(String, JSONValue)]) {
        // Canonical JSON, and most objects built in code, come sorted already.
        if zip(pairs, pairs.dropFirst()).allSatisfy({ Self.precedes($0.0, $1.0) }) {
            members = pairs.map { Member(key: $0.0, value: $0.1) }
            return
        }
        var sorted = pairs.enumerated().map { (offset: $0.offset, key: $0.element.0, value: $0.element.1) }
        sorted.sort { lhs, rhs in
            if Self.same(lhs.key, rhs.key) { return lhs.offset < rhs.offset }
            return Self.precedes(lhs.key, rhs.key)
        }
        var members: [Member] = []
        members.reserveCapacity(sorted.count)
        for entry in sorted {
            if let last = members.last, Self.same(last.key, entry.key) {
                members[members.count - 1] = Member(key: entry.key, value: entry.value)
            } else {
                members.append(Member(key: entry.key, value: entry.value))
            }
        }
        self.members = members
    }

    /// Creates an object from a dictionary.
    public init(_ dictionary: [String: JSONValue]) {
        self.init(dictionary.map { ($0.key, $0.value) })
    }

    /// Wraps members that are already sorted by key, keys unique.
    package init(sorted members: [Member]) {
        self.members = members
    }

    /// The value stored under `key`, or `nil`.
    public subscript(key: String) -> JSONValue? {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            let candidate = members[middle].key
            if Self.same(candidate, key) { return members[middle].value }
            if Self.precedes(candidate, key) { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The keys in sorted order.
    public var keys: [String] { members.map(\.key) }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }

    package static func same(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) == 0
    }

    /// Byte-wise ordering, so the order does not depend on Unicode normalisation rules.
    package static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// The byte-wise order of two keys' UTF-8, read in place (comparing through `utf8` views
    /// was a tenth of reading a cluster).
    private static func compare(_ lhs: String, _ rhs: String) -> Int {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                for index in 0..<Swift.min(left.count, right.count) where left[index] != right[index] {
                    return Int(left[index]) - Int(right[index])
                }
                return left.count - right.count
            }
        }
    }
}
