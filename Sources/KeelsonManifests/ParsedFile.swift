/// The path-independent result of parsing one file's contents: what the cache stores.
struct ParsedFile: Sendable {
    /// Objects in document order, attributed to an empty file name until a render relocates them.
    let objects: [KubeObject]
    /// Problems found in the file, without the file name.
    let issues: FileIssues
}
