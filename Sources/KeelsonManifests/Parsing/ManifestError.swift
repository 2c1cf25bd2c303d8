import KeelsonKubernetes

/// One problem found while rendering manifests, located precisely enough for a person to fix it.
///
/// Printed as `file:line: field: message`, for example
/// `apps/web/deployment.yaml:7: spec.replicas: expected an integer, found string "three"`.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of rule the input broke.
    public enum Category: String, Sendable, Hashable {
        /// The file is larger than the configured limit.
        case oversized
        /// The file is not valid UTF-8.
        case encoding
        /// The YAML or JSON could not be parsed.
        case syntax
        /// A field holds a value of the wrong type.
        case type
        /// A required field is missing.
        case missing
        /// A field has the right type but a value Kubernetes or Keelson refuses.
        case invalid
        /// The same object is defined more than once.
        case duplicate
        /// The input uses something Keelson does not support yet.
        case unsupported
        /// A local file or folder could not be read.
        case unreadable
    }

    /// The file and line the problem was found at.
    public let location: SourceLocation
    /// The field path, such as `spec.template.spec.containers[1].image`; empty when the problem is not in a field.
    public let field: String
    /// What is wrong and what was expected.
    public let message: String
    /// The kind of rule that was broken.
    public let category: Category

    /// Creates an error.
    public init(location: SourceLocation, field: String, message: String, category: Category) {
        self.location = location
        self.field = field
        self.message = message
        self.category = category
    }

    /// The repository-relative file.
    public var file: String { location.file }
    /// The 1-based line, or `nil` for problems with the whole file.
    public var line: Int? { location.line }

    public var description: String {
        field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}
