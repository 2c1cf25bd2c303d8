import KeelsonKubernetes

extension ManifestRenderer {
    /// Renders the application at `path` in a repository.
    ///
    /// When `path` is a folder with a kustomization file (`kustomization.yaml`, `kustomization.yml` or
    /// `Kustomization`) at its top, it is built as `kustomize build` would build it: only the files the
    /// kustomization references are read, bases may lie anywhere in the repository, and the result is
    /// validated like any manifest. Otherwise the files under `path` are rendered as ``render(_:under:)`` does.
    ///
    /// - Parameters:
    ///   - path: The application's folder or file, a path of `repository`.
    ///   - repository: Where files are read.
    /// - Returns: The objects, any warnings, and the paths the render read (``RenderedManifests/sources``).
    /// - Throws: ``RenderFailure`` with every manifest error found (for a kustomization: the first build error,
    ///   or every validation error of its output); the repository's own errors when it cannot be read.
    public func render(path: String, in repository: some RepositorySnapshot) async throws -> RenderedManifests {
        let path = RepositoryPath(root: repository.root).normalise(path)
        var builder = KustomizeBuilder(repository: repository, cache: cache, maxFileSize: options.maxFileSize)
        do {
            guard let kustomization = try await builder.kustomizationFile(in: path) else {
                return try render(try await repository.files(under: path), under: path)
            }
            let resources = try await builder.build(kustomization)
            return try validate(resources, sources: builder.read)
        } catch let error as ManifestError {
            throw RenderFailure(errors: [error], warnings: [])
        }
    }

    /// The objects of a kustomize build, checked like objects read from files and located at the lines they
    /// were written at.
    private func validate(_ resources: [KustomizeResource], sources: Set<String>) throws(RenderFailure)
        -> RenderedManifests
    {
        var errors: [ManifestError] = []
        var warnings: [ManifestWarning] = []
        var objects: [KubeObject] = []
        for resource in resources {
            let file = resource.origin.file
            var decoder = ObjectDecoder()
            decoder.decodeDocument(SourceNode(resource.body, original: resource.node, line: resource.origin.line ?? 1))
            errors += decoder.issues.errors.map {
                ManifestError(
                    location: SourceLocation(file: file, line: $0.line), field: $0.field, message: $0.message,
                    category: $0.category)
            }
            warnings += decoder.issues.warnings.map {
                ManifestWarning(
                    location: SourceLocation(file: file, line: $0.line), field: $0.field, message: $0.message)
            }
            objects += decoder.objects.map { $0.relocated(to: file) }
        }
        errors += duplicateErrors(in: objects)
        guard errors.isEmpty else { throw Self.failure(errors, warnings) }
        var covering: [String] = []
        for source in sources.sorted(by: JSONObject.precedes)
        where !covering.contains(where: { RepositoryPath.isInside(source, folder: $0) }) {
            covering.append(source)
        }
        return RenderedManifests(objects: objects, warnings: warnings, sources: covering)
    }
}
