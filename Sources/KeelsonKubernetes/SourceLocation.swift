/// Where something was defined: a repository-relative file and a 1-based line.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The repository-relative file path.
    public let file: String
    /// The 1-based line, or `nil` when the problem concerns the whole file.
    public let line: Int?

    /// Creates a location.
    public init(file: String, line: Int?) {
        self.file = file
        self.line = line
    }

    /// `file:line`, or `file` when there is no line.
    public var description: String {
        guard let line else { return file }
        return "\(file):\(line)"
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        if lhs.file != rhs.file { return JSONObject.precedes(lhs.file, rhs.file) }
        return (lhs.line ?? 0) < (rhs.line ?? 0)
    }
}
