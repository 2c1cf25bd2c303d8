import KeelsonKubernetes

/// Something that renders but deserves attention, such as a deprecated Deployment apiVersion.
public struct ManifestWarning: Sendable, Hashable, CustomStringConvertible {
    /// Where the warning applies.
    public let location: SourceLocation
    /// The field path, or empty.
    public let field: String
    /// What is worth attention and what to do about it.
    public let message: String

    /// Creates a warning.
    public init(location: SourceLocation, field: String, message: String) {
        self.location = location
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "\(location): warning: \(message)" : "\(location): \(field): warning: \(message)"
    }
}
