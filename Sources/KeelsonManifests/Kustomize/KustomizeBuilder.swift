import KeelsonKubernetes

/// Builds a kustomization the way `kustomize build` does, for the fields Keelson supports, reading every file
/// through a ``RepositorySnapshot``.
///
/// Per kustomization, as kustomize: `resources` in order (files, and folders built recursively), then the
/// generators (ConfigMaps, then Secrets), then the transformers: `patchesStrategicMerge`, `patches`,
/// `namespace`, `namePrefix`/`nameSuffix`, `labels`, `commonLabels`, `commonAnnotations`, `patchesJson6902`,
/// `replicas`, `images`, and `transformers`. After the outermost one, hash suffixes are added to generated
/// names and references to renamed objects are fixed.
struct KustomizeBuilder {
    private let repository: any RepositorySnapshot
    private let cache: ManifestCache
    private let paths: RepositoryPath
    private let maxFileSize: Int
    /// The kustomization folders and files the build read.
    private(set) var read: Set<String> = []

    /// - Parameter maxFileSize: Files larger than this many bytes are refused.
    init(
        repository: any RepositorySnapshot, cache: ManifestCache,
        maxFileSize: Int = ManifestRenderer.Options.defaultMaxFileSize
    ) {
        self.repository = repository
        self.cache = cache
        self.maxFileSize = maxFileSize
        paths = RepositoryPath(root: repository.root)
    }

    /// The objects of the kustomization `file`, hash suffixes added and name references fixed.
    ///
    /// - Throws: ``RenderFailure`` naming the kustomization file, line and field of the problem; the
    ///   repository's errors when it cannot be read.
    mutating func build(_ file: ManifestFile) async throws -> [KustomizeResource] {
        var resources = try await accumulate(file, chain: [])
        for index in resources.indices where resources[index].needsHash {
            resources[index].storePreviousID()
            let body = resources[index].body
            let hashed = "\(ResourceID(body).name)-\(ContentHash.suffix(for: body))"
            resources[index].body = body.setting(["metadata", "name"], to: .string(hashed))
        }
        do {
            return try NameReferences.fix(resources)
        } catch {
            throw Self.failure(error.location.file, error.location.line, "", error.message)
        }
    }

    /// The kustomization file in `folder`, if there is one.
    mutating func kustomizationFile(in folder: String) async throws -> ManifestFile? {
        var found: [ManifestFile] = []
        for name in Kustomization.fileNames {
            if case .path(let path) = paths.resolve(name, from: folder), let file = try await repository.file(at: path)
            {
                found.append(file)
            }
        }
        guard found.count <= 1 else {
            throw Self.failure(
                found[1].path, nil, "",
                "expected one kustomization file in its folder, found \(found.map { paths.normalise($0.path) }.joined(separator: " and "))"
            )
        }
        return found.first
    }

    private mutating func accumulate(_ file: ManifestFile, chain: [String]) async throws -> [KustomizeResource] {
        let folder = paths.folder(of: file.path)
        read.insert(folder)
        let kustomization = try decode(file)
        let chain = chain + [file.path]
        var resources: [KustomizeResource] = []
        for entry in kustomization.resources {
            resources += try await load(entry, kustomization, chain: chain)
        }
        try Self.refuseDuplicates(resources)
        try await generate(kustomization, into: &resources)
        try await transform(&resources, kustomization, chain: chain)
        return resources
    }

    private func decode(_ file: ManifestFile) throws -> Kustomization {
        let parsed = try documents(file)
        let documents = parsed.documents.filter { !$0.isNull }
        var issues = parsed.issues
        guard issues.isEmpty else { throw Self.failure(issues, file: file.path) }
        guard documents.count == 1 else {
            throw Self.failure(
                file.path, documents.dropFirst().first?.line, "",
                documents.isEmpty ? "expected kustomization fields, found an empty file" : "expected one YAML document")
        }
        let kustomization = Kustomization(decoding: documents[0], file: file.path, issues: &issues)
        guard issues.isEmpty else { throw Self.failure(issues, file: file.path) }
        return kustomization
    }

    // MARK: Resources

    /// The objects a `resources` or `transformers` entry names: a file's documents, or a folder's kustomization.
    private mutating func load(
        _ entry: Kustomization.Located<String>, _ kustomization: Kustomization, chain: [String]
    ) async throws -> [KustomizeResource] {
        let path = try resolve(entry, kustomization)
        if let file = try await readFile(path, entry, kustomization) { return try resources(in: file) }
        if let file = try await kustomizationFile(in: path) {
            if let start = chain.firstIndex(of: file.path) {
                let cycle = (chain[start...] + [file.path]).map { paths.normalise($0) }.joined(separator: " → ")
                throw Self.failure(
                    kustomization.file, entry.line, entry.field, "\(entry.value) makes a cycle: \(cycle)")
            }
            return try await accumulate(file, chain: chain)
        }
        let isFolder = (try? await repository.files(under: path))?.isEmpty == false
        throw Self.failure(
            kustomization.file, entry.line, entry.field,
            isFolder
                ? "expected a kustomization file (\(Kustomization.fileNames.joined(separator: ", "))) in \(path)"
                : "expected a file, or a folder with a kustomization file, at \(path), found nothing", .missing)
    }

    /// The Kubernetes objects of a file; `List` kinds give their items.
    private func resources(in file: ManifestFile) throws -> [KustomizeResource] {
        let parsed = try documents(file)
        guard parsed.issues.isEmpty else { throw Self.failure(parsed.issues, file: file.path) }
        var resources: [KustomizeResource] = []
        for document in parsed.documents where !document.isNull {
            var nodes = [document]
            if document["kind"]?.json.stringValue?.hasSuffix("List") == true,
                case .sequence(let items)? = document["items"]?.content
            {
                nodes = items
            }
            for node in nodes {
                guard case .mapping = node.content, node["kind"]?.json.stringValue != nil,
                    node["metadata"]?["name"]?.json.stringValue != nil
                else {
                    throw Self.failure(
                        file.path, node.line, "", "expected a Kubernetes object with kind and metadata.name", .missing)
                }
                resources.append(
                    KustomizeResource(
                        body: node.json, origin: SourceLocation(file: file.path, line: node.line), node: node))
            }
        }
        return resources
    }

    /// Refuses two objects with one identity, as kustomize does, naming the later one and where the first was
    /// written.
    private static func refuseDuplicates(_ resources: [KustomizeResource]) throws {
        var first: [ResourceID: SourceLocation] = [:]
        for resource in resources {
            if let existing = first.updateValue(resource.origin, forKey: resource.id.identity) {
                throw failure(
                    resource.origin.file, resource.origin.line, "",
                    "expected each object once, found \(resource.id) defined both here and at \(existing)", .duplicate)
            }
        }
    }

    // MARK: Generators

    private mutating func generate(_ kustomization: Kustomization, into resources: inout [KustomizeResource])
        async throws
    {
        for entry in kustomization.generators {
            let generator = entry.value
            var envFiles: [[UInt8]] = []
            for env in generator.envs {
                envFiles.append(try await requiredFile(env, entry, kustomization))
            }
            var files: [[UInt8]] = []
            for source in generator.files {
                do {
                    files.append(
                        try await requiredFile(try KustomizeGenerator.fileSource(source).path, entry, kustomization))
                } catch let error as KustomizeGenerator.Failure {
                    throw Self.failure(kustomization.file, entry.line, entry.field, error.message)
                }
            }
            let options = generator.options.merged(with: kustomization.generatorOptions)
            let body: JSONValue
            do {
                body = try KustomizeGenerator.object(generator, options: options, envFiles: envFiles, files: files)
            } catch {
                throw Self.failure(kustomization.file, entry.line, entry.field, error.message)
            }
            var generated = KustomizeResource(
                body: body, origin: SourceLocation(file: kustomization.file, line: entry.line), node: nil)
            generated.needsHash = options.disableNameSuffixHash != true
            try absorb(generated, generator.behavior, entry, kustomization, into: &resources)
        }
    }

    /// Adds a generated object, or merges it into (or replaces) the one it names.
    private func absorb(
        _ generated: KustomizeResource, _ behavior: Kustomization.Generator.Behavior,
        _ entry: Kustomization.Located<Kustomization.Generator>, _ kustomization: Kustomization,
        into resources: inout [KustomizeResource]
    ) throws {
        let id = generated.id
        let matches = resources.indices.filter { resources[$0].hasID { $0.isSameObject(as: id) } }
        guard behavior != .create else {
            guard matches.isEmpty else {
                throw Self.failure(
                    kustomization.file, entry.line, entry.field,
                    "\(id) already exists (at \(resources[matches[0]].origin)); use behavior: merge or replace",
                    .duplicate)
            }
            resources.append(generated)
            return
        }
        guard matches.count == 1, let index = matches.first else {
            throw Self.failure(
                kustomization.file, entry.line, entry.field,
                "behavior: \(behavior.rawValue) needs one \(id) to \(behavior.rawValue) into, found \(matches.count)")
        }
        let old = resources[index]
        var body = generated.body
        let oldID = old.id
        body = body.setting(["metadata", "name"], to: .string(oldID.name))
        body = body.setting(["metadata", "namespace"], to: oldID.namespace.isEmpty ? nil : .string(oldID.namespace))
        var fields = [["metadata", "labels"], ["metadata", "annotations"]]
        if behavior == .merge { fields += [["data"], ["binaryData"]] }
        for field in fields {
            var merged = old.body.value(at: field)?.objectValue ?? JSONObject([])
            for member in body.value(at: field)?.objectValue ?? JSONObject([]) {
                merged = merged.setting(member.key, to: member.value)
            }
            body = body.setting(field[...], to: merged.isEmpty ? nil : .object(merged))
        }
        var merged = old
        merged.body = body
        merged.needsHash = old.needsHash || generated.needsHash
        resources[index] = merged
    }

    // MARK: Transformers

    private mutating func transform(
        _ resources: inout [KustomizeResource], _ kustomization: Kustomization, chain: [String]
    ) async throws {
        for entry in kustomization.patchesStrategicMerge {
            let inline = entry.value.contains("\n")
            let patches = try await patchDocuments(
                inline: inline ? entry.value : nil, path: inline ? nil : entry.value, entry, kustomization)
            for patch in patches {
                try applyStrategicMerge(patch, Kustomization.Patch(), entry, kustomization, to: &resources)
            }
        }
        for entry in kustomization.patches {
            let documents = try await patchDocuments(
                inline: entry.value.patch, path: entry.value.path, entry, kustomization)
            guard documents.count == 1 else {
                throw Self.failure(
                    kustomization.file, entry.line, entry.field,
                    "expected one patch, found \(documents.count) documents; list files of several strategic merge patches under patchesStrategicMerge"
                )
            }
            if case .sequence = documents[0].content {
                try applyJSONPatch(documents[0], entry.value.target, entry, kustomization, to: &resources)
            } else {
                try applyStrategicMerge(documents[0], entry.value, entry, kustomization, to: &resources)
            }
        }
        try run(.namespace(kustomization.namespace ?? "", FieldSpecs.namespace), kustomization, "namespace", &resources)
        try run(.prefix(kustomization.namePrefix, FieldSpecs.names), kustomization, "namePrefix", &resources)
        try run(.suffix(kustomization.nameSuffix, FieldSpecs.names), kustomization, "nameSuffix", &resources)
        for labels in kustomization.labels {
            var specs = labels.fields
            if labels.includeSelectors {
                specs += FieldSpecs.commonLabels
            } else {
                if labels.includeTemplates { specs += FieldSpecs.templateLabels }
                specs.append(FieldSpec("metadata/labels", create: true))
            }
            try run(.labels(labels.pairs, specs), kustomization, "labels", &resources)
        }
        try run(.labels(kustomization.commonLabels, FieldSpecs.commonLabels), kustomization, "commonLabels", &resources)
        try run(
            .annotations(kustomization.commonAnnotations, FieldSpecs.commonAnnotations), kustomization,
            "commonAnnotations", &resources)
        for entry in kustomization.patchesJson6902 {
            let documents = try await patchDocuments(
                inline: entry.value.patch, path: entry.value.path, entry, kustomization)
            guard documents.count == 1 else {
                throw Self.failure(
                    kustomization.file, entry.line, entry.field, "expected one list of JSON patch operations")
            }
            try applyJSONPatch(documents[0], entry.value.target, entry, kustomization, to: &resources)
        }
        for entry in kustomization.replicas {
            try run(
                .replicas(entry.value, FieldSpecs.replicas), kustomization, entry.field, &resources, line: entry.line)
        }
        for entry in kustomization.images {
            try run(.image(entry.value, FieldSpecs.images), kustomization, entry.field, &resources, line: entry.line)
        }
        for entry in kustomization.transformers {
            for transformer in try await configuredTransformers(entry, kustomization, chain: chain) {
                try run(transformer, kustomization, entry.field, &resources, line: entry.line)
            }
        }
    }

    private func run(
        _ transformer: KustomizeTransformer, _ kustomization: Kustomization, _ field: String,
        _ resources: inout [KustomizeResource], line: Int? = nil
    ) throws {
        do {
            try transformer.apply(to: &resources)
        } catch {
            throw Self.failure(kustomization.file, line, field, error.message)
        }
    }

    /// The transformers the configurations of a `transformers` entry describe: inline YAML, a file, or a
    /// kustomization folder whose objects are configurations.
    private mutating func configuredTransformers(
        _ entry: Kustomization.Located<String>, _ kustomization: Kustomization, chain: [String]
    ) async throws -> [KustomizeTransformer] {
        var configurations: [(node: SourceNode, file: String)] = []
        if entry.value.contains("\n") {
            let parsed = ManifestParser.documents(Array(entry.value.utf8))
            guard parsed.issues.isEmpty else {
                throw Self.failure(parsed.issues, file: kustomization.file, line: entry.line)
            }
            configurations = parsed.documents.filter { !$0.isNull }.map { ($0, kustomization.file) }
        } else {
            configurations = try await load(entry, kustomization, chain: chain).map { resource in
                (
                    SourceNode(resource.body, original: resource.node, line: resource.origin.line ?? 1),
                    resource.origin.file
                )
            }
        }
        var transformers: [KustomizeTransformer] = []
        for (node, file) in configurations {
            var reader = KustomizationReader()
            let configured = KustomizeTransformer.configured(node, field: entry.field, reader: &reader)
            guard let configured, reader.fields.issues.isEmpty else {
                throw Self.failure(
                    reader.fields.issues, file: file, line: file == kustomization.file ? entry.line : nil)
            }
            transformers += configured
        }
        return transformers
    }

    // MARK: Patches

    /// The YAML documents of a patch written inline or in a file, empty documents left out.
    private mutating func patchDocuments<Value>(
        inline: String?, path: String?, _ entry: Kustomization.Located<Value>, _ kustomization: Kustomization
    ) async throws -> [SourceNode] {
        let parsed: ParsedDocuments
        let file: String
        if let path {
            let resolved = try resolve(
                Kustomization.Located(value: path, line: entry.line, field: entry.field), kustomization)
            let contents = try await requiredFile(path, entry, kustomization)
            parsed = try documents(ManifestFile(path: resolved, contents: contents))
            file = resolved
        } else {
            parsed = ManifestParser.documents(Array((inline ?? "").utf8))
            file = kustomization.file
        }
        guard parsed.issues.isEmpty else {
            throw Self.failure(parsed.issues, file: file, line: path == nil ? entry.line : nil)
        }
        let documents = parsed.documents.filter { !$0.isNull }
        guard !documents.isEmpty else {
            throw Self.failure(kustomization.file, entry.line, entry.field, "the patch is empty")
        }
        return documents
    }

    private func applyStrategicMerge<Value>(
        _ patch: SourceNode, _ options: Kustomization.Patch, _ entry: Kustomization.Located<Value>,
        _ kustomization: Kustomization, to resources: inout [KustomizeResource]
    ) throws {
        let patchBody = patch.json
        let selected: [Int]
        if let target = options.target {
            selected = resources.indices.filter { target.selects(resources[$0]) }
        } else {
            let id = ResourceID(patchBody)
            guard patchBody.objectValue != nil, !id.kind.isEmpty, !id.name.isEmpty else {
                throw Self.failure(
                    kustomization.file, entry.line, entry.field,
                    "expected a strategic merge patch with apiVersion, kind and metadata.name, or a target")
            }
            selected = resources.indices.filter { resources[$0].hasID { $0.isSameObject(as: id) } }
            guard selected.count == 1 else {
                throw Self.failure(
                    kustomization.file, entry.line, entry.field,
                    "expected the patch for \(id) to match one object, found \(selected.count)", .missing)
            }
        }
        var deleted: Set<Int> = []
        for index in selected {
            let current = resources[index].id
            if options.allowNameChange || options.allowKindChange { resources[index].storePreviousID() }
            var typed = patchBody
            if let apiVersion = resources[index].body["apiVersion"] {
                typed = typed.setting(["apiVersion"], to: apiVersion)
            }
            let merged: JSONValue?
            do {
                merged = try StrategicMergePatch.apply(typed, to: resources[index].body)
            } catch {
                throw Self.failure(kustomization.file, entry.line, entry.field, "\(current): \(error.message)")
            }
            guard var body = merged else {
                deleted.insert(index)
                continue
            }
            if !options.allowKindChange { body = body.setting(["kind"], to: .string(current.kind)) }
            if !options.allowNameChange { body = body.setting(["metadata", "name"], to: .string(current.name)) }
            body = body.setting(
                ["metadata", "namespace"], to: current.namespace.isEmpty ? nil : .string(current.namespace))
            resources[index].body = body
        }
        resources = resources.indices.filter { !deleted.contains($0) }.map { resources[$0] }
    }

    private func applyJSONPatch(
        _ document: SourceNode, _ target: ResourceSelector?, _ entry: Kustomization.Located<Kustomization.Patch>,
        _ kustomization: Kustomization, to resources: inout [KustomizeResource]
    ) throws {
        guard let target else {
            throw Self.failure(kustomization.file, entry.line, entry.field, "expected a target for a JSON patch")
        }
        do throws(JSONPatch.Failure) {
            let patch = try JSONPatch(document.json)
            for index in resources.indices where target.selects(resources[index]) {
                resources[index].storePreviousID()
                do throws(JSONPatch.Failure) {
                    resources[index].body = try patch.apply(to: resources[index].body)
                } catch {
                    throw JSONPatch.Failure(message: "\(resources[index].id): \(error.message)")
                }
            }
        } catch {
            throw Self.failure(kustomization.file, entry.line, entry.field, error.message)
        }
    }

    // MARK: Files

    /// The repository path a written path names, refusing remote, absolute and escaping ones.
    private func resolve(_ entry: Kustomization.Located<String>, _ kustomization: Kustomization) throws -> String {
        let written = entry.value
        if Self.isRemote(written) {
            throw Self.failure(
                kustomization.file, entry.line, entry.field,
                "remote resources are not supported by Keelson (found \(written)); copy the files into this repository and refer to them by relative path",
                .unsupported)
        }
        switch paths.resolve(written, from: paths.folder(of: kustomization.file)) {
        case .path(let path):
            return path
        case .absolute:
            throw Self.failure(
                kustomization.file, entry.line, entry.field,
                "expected a path relative to the kustomization's folder, found the absolute path \(written)",
                .unsupported)
        case .outside:
            throw Self.failure(
                kustomization.file, entry.line, entry.field,
                "\(written) leads outside the repository; Keelson reads only files inside it", .unsupported)
        }
    }

    private static func isRemote(_ written: String) -> Bool {
        written.contains("://") || written.hasPrefix("git@") || written.contains("?ref=")
            || written.contains("?version=")
            || ["github.com/", "gitlab.com/", "bitbucket.org/"].contains { written.hasPrefix($0) }
    }

    private mutating func readFile(
        _ path: String, _ entry: Kustomization.Located<String>, _ kustomization: Kustomization
    ) async throws -> ManifestFile? {
        do {
            guard let file = try await repository.file(at: path) else { return nil }
            read.insert(path)
            return file
        } catch let error as ManifestError {
            throw Self.failure(kustomization.file, entry.line, entry.field, "\(path): \(error.message)", error.category)
        }
    }

    /// The bytes of a file a field names, relative to the kustomization's folder.
    private mutating func requiredFile<Value>(
        _ written: String, _ entry: Kustomization.Located<Value>, _ kustomization: Kustomization
    ) async throws -> [UInt8] {
        let located = Kustomization.Located(value: written, line: entry.line, field: entry.field)
        let path = try resolve(located, kustomization)
        guard let file = try await readFile(path, located, kustomization) else {
            throw Self.failure(
                kustomization.file, entry.line, entry.field, "expected a file at \(path), found nothing", .missing)
        }
        try checkSize(file)
        return file.contents
    }

    /// The file's YAML documents, parsed once per blob.
    private func documents(_ file: ManifestFile) throws -> ParsedDocuments {
        try checkSize(file)
        let key = file.blobID.map { "documents:blob:\($0)" } ?? "documents:sha256:\(Digest.sha256Hex(file.contents))"
        return cache.parsed(forKey: key, bytes: file.contents.count) { ManifestParser.documents(file.contents) }
    }

    private func checkSize(_ file: ManifestFile) throws {
        guard file.contents.count <= maxFileSize else {
            throw Self.failure(
                file.path, nil, "",
                "expected a file of at most \(ManifestRenderer.describeSize(maxFileSize)), found \(ManifestRenderer.describeSize(file.contents.count)); split it into several files",
                .oversized)
        }
    }

    // MARK: Errors

    private static func failure(
        _ file: String, _ line: Int?, _ field: String, _ message: String, _ category: ManifestError.Category = .invalid
    ) -> RenderFailure {
        RenderFailure(
            errors: [
                ManifestError(
                    location: SourceLocation(file: file, line: line), field: field, message: message, category: category
                )
            ], warnings: [])
    }

    /// The issues of a file as errors in line order; `line` replaces their lines (for YAML written inline in a
    /// kustomization).
    private static func failure(_ issues: FileIssues, file: String, line: Int? = nil) -> RenderFailure {
        let errors = issues.errors.map {
            ManifestError(
                location: SourceLocation(file: file, line: line ?? $0.line), field: $0.field, message: $0.message,
                category: $0.category)
        }
        return ManifestRenderer.failure(errors, [])
    }
}
