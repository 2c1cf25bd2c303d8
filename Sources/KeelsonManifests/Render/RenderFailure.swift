/// A render that found problems: every error of the render, not only the first, plus the warnings.
public struct RenderFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// All errors, ordered by file and line.
    public let errors: [ManifestError]
    /// Warnings found along the way.
    public let warnings: [ManifestWarning]

    /// Creates a failure.
    public init(errors: [ManifestError], warnings: [ManifestWarning]) {
        self.errors = errors
        self.warnings = warnings
    }

    /// One error per line, followed by a count.
    public var description: String {
        let noun = errors.count == 1 ? "error" : "errors"
        return (errors.map(\.description) + ["\(errors.count) \(noun) in manifests"]).joined(separator: "\n")
    }
}
