import KeelsonKubernetes

/// The path-independent result of parsing one file's contents: what the cache stores.
struct ParsedFile: Sendable {
    /// Objects in document order, attributed to an empty file name until a render relocates them.
    let objects: [KubeObject]
    /// Problems found in the file, without the file name.
    let issues: FileIssues
}

/// The path-independent YAML documents of one file's contents, as kustomize inputs are read.
struct ParsedDocuments: Sendable {
    /// Documents in file order, empty documents included as `null` nodes.
    let documents: [SourceNode]
    /// Problems found in the file, without the file name.
    let issues: FileIssues
}
