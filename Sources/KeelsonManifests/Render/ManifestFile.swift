/// One file of an application's path, as read from git or from a local folder.
///
/// The renderer never touches the file system or git itself; callers hand it these values.
public struct ManifestFile: Sendable, Hashable {
    /// The path inside the repository, `/`-separated, without a leading `/`.
    public let path: String
    /// The git blob id when the file was read from git; `nil` for local files.
    ///
    /// When present it is the cache key. When absent the renderer hashes ``contents`` instead.
    public let blobID: String?
    /// The file's bytes, exactly as stored.
    public let contents: [UInt8]

    /// Creates a manifest file.
    ///
    /// - Parameters:
    ///   - path: Repository-relative, `/`-separated path.
    ///   - blobID: The git blob SHA, or `nil` for files that do not come from git.
    ///   - contents: The raw bytes.
    public init(path: String, blobID: String? = nil, contents: [UInt8]) {
        self.path = path
        self.blobID = blobID
        self.contents = contents
    }

    /// Creates a manifest file from text, for tests and generated content.
    public init(path: String, blobID: String? = nil, text: String) {
        self.init(path: path, blobID: blobID, contents: Array(text.utf8))
    }
}
