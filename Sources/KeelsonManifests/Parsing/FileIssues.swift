/// Errors and warnings found in one file, located by line and field but not yet by path.
///
/// Parse results are cached by content, and identical content can live at several paths, so the
/// path is attached only when a render assembles its result.
struct FileIssues: Sendable {
    struct Issue: Sendable, Hashable {
        let line: Int?
        let field: String
        let message: String
        let category: ManifestError.Category
    }

    struct Warning: Sendable, Hashable {
        let line: Int?
        let field: String
        let message: String
    }

    private(set) var errors: [Issue] = []
    private(set) var warnings: [Warning] = []

    var isEmpty: Bool { errors.isEmpty }

    mutating func error(line: Int?, field: String, _ message: String, _ category: ManifestError.Category) {
        errors.append(Issue(line: line, field: field, message: message, category: category))
    }

    mutating func warning(line: Int?, field: String, _ message: String) {
        warnings.append(Warning(line: line, field: field, message: message))
    }

    mutating func append(_ other: FileIssues) {
        errors += other.errors
        warnings += other.warnings
    }
}
