/// A kustomization file as Keelson reads it: the fields it supports, each with the line and field path it was
/// written at so later errors can point back to it.
struct Kustomization: Sendable {
    /// A value and where it was written.
    struct Located<Value: Sendable>: Sendable {
        let value: Value
        let line: Int?
        /// The field path, such as `resources[2]`.
        let field: String
    }

    /// An `images` entry (also a builtin `ImageTagTransformer`'s `imageTag`).
    struct Image: Sendable, Hashable {
        var name: String
        var newName: String?
        var newTag: String?
        var digest: String?
    }

    /// A `replicas` entry (also a builtin `ReplicaCountTransformer`'s `replica`).
    struct Replica: Sendable, Hashable {
        var name: String
        var count: Int
    }

    /// A `patches` or `patchesJson6902` entry.
    struct Patch: Sendable {
        var path: String?
        var patch: String?
        var target: ResourceSelector?
        var allowNameChange = false
        var allowKindChange = false
    }

    /// A `labels` entry.
    struct Labels: Sendable {
        var pairs: [(key: String, value: String)]
        var includeSelectors = false
        var includeTemplates = false
        var fields: [FieldSpec] = []
    }

    /// `generatorOptions`, or a generator's own `options`.
    struct GeneratorOptions: Sendable {
        var labels: [(key: String, value: String)] = []
        var annotations: [(key: String, value: String)] = []
        var disableNameSuffixHash: Bool?
        var immutable: Bool?

        /// These options with `global` ones filling the gaps, as kustomize merges them: local labels and
        /// annotations win, and a global `true` wins.
        func merged(with global: GeneratorOptions?) -> GeneratorOptions {
            guard let global else { return self }
            var merged = self
            for (key, value) in global.labels where !labels.contains(where: { $0.key == key }) {
                merged.labels.append((key, value))
            }
            for (key, value) in global.annotations where !annotations.contains(where: { $0.key == key }) {
                merged.annotations.append((key, value))
            }
            if global.disableNameSuffixHash == true { merged.disableNameSuffixHash = true }
            if global.immutable == true { merged.immutable = true }
            return merged
        }
    }

    /// A `configMapGenerator` or `secretGenerator` entry.
    struct Generator: Sendable {
        enum Kind: String, Sendable {
            case configMap = "ConfigMap"
            case secret = "Secret"
        }

        /// How a generated object meets one of the same name from the resources.
        enum Behavior: String, Sendable {
            case create, merge, replace
        }

        var kind: Kind
        var name: String
        var namespace: String?
        var behavior = Behavior.create
        var literals: [String] = []
        var files: [String] = []
        var envs: [String] = []
        var type: String?
        var options = GeneratorOptions()
    }

    /// The file's repository path.
    let file: String
    var resources: [Located<String>] = []
    var namespace: String?
    var namePrefix = ""
    var nameSuffix = ""
    var commonLabels: [(key: String, value: String)] = []
    var labels: [Labels] = []
    var commonAnnotations: [(key: String, value: String)] = []
    var images: [Located<Image>] = []
    var replicas: [Located<Replica>] = []
    var patches: [Located<Patch>] = []
    var patchesStrategicMerge: [Located<String>] = []
    var patchesJson6902: [Located<Patch>] = []
    /// `configMapGenerator` entries, then `secretGenerator` ones, the order kustomize runs them in.
    var generators: [Located<Generator>] = []
    var generatorOptions: GeneratorOptions?
    var transformers: [Located<String>] = []

    /// The names a kustomization file can have, in the order kustomize looks for them.
    static let fileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
}
