import KeelsonKubernetes

extension KustomizeTransformer {
    /// The builtin transformer kinds a `transformers:` entry may configure.
    static let configurableKinds = [
        "LabelTransformer", "AnnotationsTransformer", "ImageTagTransformer", "NamespaceTransformer",
        "PrefixSuffixTransformer", "PrefixTransformer", "SuffixTransformer", "ReplicaCountTransformer",
    ]

    /// The transformers a builtin transformer configuration describes, such as
    /// `{apiVersion: builtin, kind: LabelTransformer, labels: {...}, fieldSpecs: [...]}`; `nil` after an error.
    static func configured(
        _ node: SourceNode, field: String, reader: inout KustomizationReader
    ) -> [KustomizeTransformer]? {
        let kind = node["kind"]?.json.stringValue ?? ""
        guard node["apiVersion"]?.json.stringValue == "builtin", configurableKinds.contains(kind) else {
            reader.fields.issues.error(
                line: node.line, field: field,
                "not supported by Keelson: \(kind.isEmpty ? "this object" : kind) is not a builtin transformer Keelson runs (plugins are not supported); expected apiVersion: builtin with kind \(configurableKinds.joined(separator: ", "))",
                .unsupported)
            return nil
        }
        let specific: [String] =
            switch kind {
            case "LabelTransformer": ["labels"]
            case "AnnotationsTransformer": ["annotations"]
            case "ImageTagTransformer": ["imageTag"]
            case "PrefixSuffixTransformer": ["prefix", "suffix"]
            case "PrefixTransformer": ["prefix"]
            case "SuffixTransformer": ["suffix"]
            case "ReplicaCountTransformer": ["replica"]
            case "NamespaceTransformer": ["unsetOnly", "setRoleBindingSubjects"]
            default: []
            }
        guard
            let members = reader.members(
                node, field: field, allowed: ["apiVersion", "kind", "metadata", "fieldSpecs"] + specific)
        else { return nil }
        let specs = reader.fieldSpecs(members["fieldSpecs"], field: FieldReader.path(field, "fieldSpecs"))
        func string(_ key: String) -> String {
            reader.fields.string(members[key], field: FieldReader.path(field, key)) ?? ""
        }
        switch kind {
        case "LabelTransformer":
            return [.labels(reader.stringPairs(members["labels"], field: FieldReader.path(field, "labels")), specs)]
        case "AnnotationsTransformer":
            return [
                .annotations(
                    reader.stringPairs(members["annotations"], field: FieldReader.path(field, "annotations")), specs)
            ]
        case "ImageTagTransformer":
            guard let tag = members["imageTag"],
                let image = reader.image(tag, field: FieldReader.path(field, "imageTag"))
            else { return nil }
            return [.image(image, specs)]
        case "NamespaceTransformer":
            let namespace = reader.fields.string(
                node["metadata"]?["namespace"], field: FieldReader.path(field, "metadata.namespace"))
            var options = NamespaceOptions()
            options.unsetOnly =
                reader.fields.bool(members["unsetOnly"], field: FieldReader.path(field, "unsetOnly")) ?? false
            let subjectsField = FieldReader.path(field, "setRoleBindingSubjects")
            if let subjects = reader.fields.string(members["setRoleBindingSubjects"], field: subjectsField) {
                guard let mode = NamespaceOptions.Subjects(rawValue: subjects) else {
                    reader.fields.issues.error(
                        line: members["setRoleBindingSubjects"]?.line, field: subjectsField,
                        "expected defaultOnly, allServiceAccounts or none, found \"\(subjects)\"", .invalid)
                    return nil
                }
                options.subjects = mode
            }
            return [.namespace(namespace ?? "", specs, options)]
        case "ReplicaCountTransformer":
            guard let replica = members["replica"],
                let value = reader.replica(replica, field: FieldReader.path(field, "replica"))
            else { return nil }
            return [.replicas(value, specs)]
        case "PrefixTransformer":
            return [.prefix(string("prefix"), specs)]
        case "SuffixTransformer":
            return [.suffix(string("suffix"), specs)]
        default:
            return [.prefix(string("prefix"), specs), .suffix(string("suffix"), specs)]
        }
    }
}
