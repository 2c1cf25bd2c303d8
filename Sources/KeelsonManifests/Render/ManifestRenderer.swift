import KeelsonKubernetes

/// Renders the manifest files of an application's path into Kubernetes objects.
///
/// Rendering is pure: the output depends only on the files' paths and bytes. Per-file work (decoding,
/// parsing, per-object validation, hashing) is cached in a ``ManifestCache`` by blob id, or by a SHA-256
/// of the contents for files without one; checks across files (duplicate objects, kustomize folders,
/// size limits) run on every render. ``render(path:in:)`` also builds kustomizations.
public struct ManifestRenderer: Sendable {
    /// Settings of a renderer.
    public struct Options: Sendable, Hashable {
        /// The default per-file size limit: 4 MiB.
        public static let defaultMaxFileSize = 4 * 1024 * 1024

        /// Files larger than this many bytes are refused.
        public var maxFileSize: Int
        /// The application's destination namespace, used to detect duplicates between an object that names
        /// this namespace and one that names none. `nil` compares namespaces as written.
        public var defaultNamespace: String?

        /// Creates options.
        public init(maxFileSize: Int = Options.defaultMaxFileSize, defaultNamespace: String? = nil) {
            self.maxFileSize = maxFileSize
            self.defaultNamespace = defaultNamespace
        }
    }

    /// The cache of per-file results; share one across renderers and tasks.
    public let cache: ManifestCache
    /// The settings.
    public let options: Options

    /// Creates a renderer.
    ///
    /// - Parameters:
    ///   - cache: Where parse results are kept between renders.
    ///   - options: Limits and the default namespace.
    public init(cache: ManifestCache = ManifestCache(), options: Options = Options()) {
        self.cache = cache
        self.options = options
    }

    /// Renders the files under an application's path.
    ///
    /// Files are processed in path order whatever order they are given in. Hidden files and folders,
    /// files that are not `.yaml`, `.yml` or `.json`, and Helm's `Chart.yaml` are skipped. A folder holding
    /// a kustomization file is refused and its files are not loaded: kustomizations are built by
    /// ``render(path:in:)``, and only at the top of the application's path.
    ///
    /// - Parameters:
    ///   - files: The files under the path, with repository-relative paths.
    ///   - root: The application's path; hidden folders above it do not hide its files.
    /// - Returns: The objects, any warnings, and `root` as the only source.
    /// - Throws: ``RenderFailure`` with every error found, when there is at least one.
    public func render(_ files: [ManifestFile], under root: String = "") throws(RenderFailure) -> RenderedManifests {
        let sorted = files.sorted { JSONObject.precedes($0.path, $1.path) }
        var errors: [ManifestError] = []
        var warnings: [ManifestWarning] = []
        var objects: [KubeObject] = []

        let kustomizations = sorted.filter { ManifestPath($0.path, below: root) == .kustomization }
        let kustomizeFolders = kustomizations.map { ManifestPath.folder(of: $0.path) }
        for file in kustomizations {
            errors.append(
                ManifestError(
                    location: SourceLocation(file: file.path, line: nil), field: "",
                    message:
                        "a kustomization is built only at the top of the application's path; point the application at \(ManifestPath.folder(of: file.path)), or list that folder in the resources of a kustomization at \(root.isEmpty ? "the repository's root" : root)",
                    category: .unsupported))
        }

        for file in sorted where ManifestPath(file.path, below: root) == .manifest {
            if kustomizeFolders.contains(where: { Self.isInside(file.path, folder: $0) }) { continue }
            guard file.contents.count <= options.maxFileSize else {
                errors.append(
                    ManifestError(
                        location: SourceLocation(file: file.path, line: nil), field: "",
                        message:
                            "expected a manifest file of at most \(Self.describeSize(options.maxFileSize)), found \(Self.describeSize(file.contents.count)); split it into several files",
                        category: .oversized))
                continue
            }
            let key = file.blobID.map { "blob:\($0)" } ?? "sha256:\(Digest.sha256Hex(file.contents))"
            let parsed = cache.parsed(forKey: key, bytes: file.contents.count) { ManifestParser.parse(file.contents) }
            for issue in parsed.issues.errors {
                errors.append(
                    ManifestError(
                        location: SourceLocation(file: file.path, line: issue.line), field: issue.field,
                        message: issue.message, category: issue.category))
            }
            for warning in parsed.issues.warnings {
                warnings.append(
                    ManifestWarning(
                        location: SourceLocation(file: file.path, line: warning.line), field: warning.field,
                        message: warning.message))
            }
            objects += parsed.objects.map { $0.relocated(to: file.path) }
        }

        errors += duplicateErrors(in: objects)
        guard errors.isEmpty else { throw Self.failure(errors, warnings) }
        return RenderedManifests(objects: objects, warnings: warnings, sources: [root])
    }

    /// A failure with the errors sorted stably by location, so they read top to bottom, file by file.
    static func failure(_ errors: [ManifestError], _ warnings: [ManifestWarning]) -> RenderFailure {
        let ordered = errors.enumerated().sorted { lhs, rhs in
            lhs.element.location == rhs.element.location
                ? lhs.offset < rhs.offset : lhs.element.location < rhs.element.location
        }
        return RenderFailure(errors: ordered.map(\.element), warnings: warnings)
    }

    func duplicateErrors(in objects: [KubeObject]) -> [ManifestError] {
        var firstDefinitions: [ObjectKey: KubeObject] = [:]
        var errors: [ManifestError] = []
        for object in objects {
            let key = options.defaultNamespace.map { object.key(defaultNamespace: $0) } ?? object.key
            if let first = firstDefinitions[key] {
                errors.append(
                    ManifestError(
                        location: object.source, field: "",
                        message: "expected each object once, found \(key) defined both here and at \(first.source)",
                        category: .duplicate))
            } else {
                firstDefinitions[key] = object
            }
        }
        return errors
    }

    private static func isInside(_ path: String, folder: String) -> Bool {
        folder.isEmpty || path.hasPrefix(folder + "/")
    }

    static func describeSize(_ bytes: Int) -> String {
        let mebibyte = 1024 * 1024
        if bytes % mebibyte == 0 { return "\(bytes / mebibyte) MiB (\(bytes) bytes)" }
        return "\(bytes) bytes"
    }
}
