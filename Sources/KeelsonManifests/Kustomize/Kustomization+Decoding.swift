import KeelsonKubernetes

extension Kustomization {
    /// Reads a kustomization document, recording every problem (wrong types, unknown or unsupported fields)
    /// with its line and field.
    ///
    /// - Parameters:
    ///   - node: The file's only document.
    ///   - file: The file's repository path.
    ///   - issues: Where problems are added.
    init(decoding node: SourceNode, file: String, issues: inout FileIssues) {
        self.init(file: file)
        var reader = KustomizationReader()
        defer { issues.append(reader.fields.issues) }
        guard case .mapping(let entries) = node.content else {
            issues.error(
                line: node.line, field: "",
                "expected a kustomization (a mapping of fields), found \(node.foundDescription)",
                .type)
            return
        }
        // kustomize reads the deprecated `bases` as resources listed after the others.
        var bases: [Located<String>] = []
        defer { resources += bases }
        for entry in entries {
            let key = entry.key
            let value = entry.value
            switch key {
            case "apiVersion", "metadata":
                continue
            case "kind":
                let kind = reader.fields.string(value, field: key)
                if kind == "Component" {
                    reader.unsupported(
                        value, field: key, "copy the component's resources and patches into the kustomization")
                } else if let kind, kind != "Kustomization" {
                    issues.error(line: value.line, field: key, "expected Kustomization, found \"\(kind)\"", .invalid)
                }
            case "resources":
                resources = reader.strings(value, field: key)
            case "bases":
                bases = reader.strings(value, field: key)
            case "namespace":
                namespace = reader.fields.string(value, field: key)
            case "namePrefix":
                namePrefix = reader.fields.string(value, field: key) ?? ""
            case "nameSuffix":
                nameSuffix = reader.fields.string(value, field: key) ?? ""
            case "commonLabels":
                commonLabels = reader.stringPairs(value, field: key)
            case "commonAnnotations":
                commonAnnotations = reader.stringPairs(value, field: key)
            case "labels":
                labels = reader.elements(value, field: key) { reader, element, field in
                    reader.labels(element, field: field)
                }
                .map(\.value)
            case "images":
                images = reader.elements(value, field: key) { reader, element, field in
                    reader.image(element, field: field)
                }
            case "replicas":
                replicas = reader.elements(value, field: key) { reader, element, field in
                    reader.replica(element, field: field)
                }
            case "patches":
                patches = reader.elements(value, field: key) { reader, element, field in
                    reader.patch(element, field: field, targetRequired: false)
                }
            case "patchesStrategicMerge":
                patchesStrategicMerge = reader.strings(value, field: key)
            case "patchesJson6902":
                patchesJson6902 = reader.elements(value, field: key) { reader, element, field in
                    reader.patch(element, field: field, targetRequired: true)
                }
            case "configMapGenerator", "secretGenerator":
                let kind: Generator.Kind = key == "secretGenerator" ? .secret : .configMap
                let decoded = reader.elements(value, field: key) { reader, element, field in
                    reader.generator(element, kind: kind, field: field)
                }
                // kustomize runs every ConfigMap generator before any Secret generator.
                generators = kind == .configMap ? decoded + generators : generators + decoded
            case "generatorOptions":
                generatorOptions = reader.generatorOptions(value, field: key)
            case "transformers":
                transformers = reader.strings(value, field: key)
            default:
                reader.refuse(value, field: key)
            }
        }
    }
}

/// Typed reads of kustomization fields, on top of ``FieldReader``, that name unknown and unsupported fields.
struct KustomizationReader {
    var fields = FieldReader()

    /// Fields kustomize has and Keelson does not, with what to do instead.
    static let unsupportedFields: [String: String] = [
        "helmCharts": "render the chart and commit its output, or remove the field",
        "helmGlobals": "render the chart and commit its output, or remove the field",
        "helmChartInflationGenerator": "render the chart and commit its output, or remove the field",
        "components": "copy the component's resources and patches into the kustomization",
        "generators": "generator plugins are not run; commit what they generate",
        "validators": "validator plugins are not run; remove the field",
        "replacements": "write the values into the manifests or use patches",
        "vars": "write the values into the manifests or use patches",
        "configurations": "use transformers with builtin transformer configurations and their fieldSpecs",
        "crds": "remove the field",
        "openapi": "remove the field",
        "buildMetadata": "remove the field",
        "sortOptions": "objects are applied in Keelson's own order; remove the field",
    ]

    static let supportedFields =
        "resources, bases, namespace, namePrefix, nameSuffix, commonLabels, labels, commonAnnotations, images, replicas, patches, patchesStrategicMerge, patchesJson6902, configMapGenerator, secretGenerator, generatorOptions and transformers"

    /// Records a top-level field Keelson does not read.
    mutating func refuse(_ node: SourceNode, field: String) {
        if let hint = Self.unsupportedFields[field] {
            unsupported(node, field: field, hint)
        } else {
            fields.issues.error(
                line: node.line, field: field,
                "unknown kustomization field; Keelson supports \(Self.supportedFields)", .unsupported)
        }
    }

    mutating func unsupported(_ node: SourceNode, field: String, _ hint: String) {
        fields.issues.error(line: node.line, field: field, "not supported by Keelson (\(hint))", .unsupported)
    }

    /// The members of a mapping, refusing keys outside `allowed`.
    mutating func members(_ node: SourceNode?, field: String, allowed: [String]) -> [String: SourceNode]? {
        guard let node = fields.mapping(node, field: field), case .mapping(let entries) = node.content else {
            return nil
        }
        var members: [String: SourceNode] = [:]
        for entry in entries {
            guard allowed.contains(entry.key) else {
                fields.issues.error(
                    line: entry.value.line, field: FieldReader.path(field, entry.key),
                    "not supported by Keelson; expected \(Self.list(allowed))", .unsupported)
                continue
            }
            members[entry.key] = entry.value
        }
        return members
    }

    /// Decodes each element of a list with `decode`, keeping the ones that decode.
    mutating func elements<Value>(
        _ node: SourceNode, field: String, _ decode: (inout Self, SourceNode, String) -> Value?
    ) -> [Kustomization.Located<Value>] {
        var located: [Kustomization.Located<Value>] = []
        for (index, element) in (fields.list(node, field: field) ?? []).enumerated() {
            let elementField = "\(field)[\(index)]"
            if let value = decode(&self, element, elementField) {
                located.append(Kustomization.Located(value: value, line: element.line, field: elementField))
            }
        }
        return located
    }

    mutating func strings(_ node: SourceNode?, field: String) -> [Kustomization.Located<String>] {
        guard let node else { return [] }
        return elements(node, field: field) { reader, element, field in reader.fields.string(element, field: field) }
    }

    /// A mapping of labels or annotations. Numbers and booleans are taken as the text they were written as.
    mutating func stringPairs(_ node: SourceNode?, field: String) -> [(key: String, value: String)] {
        guard let node = fields.mapping(node, field: field), case .mapping(let entries) = node.content else {
            return []
        }
        var pairs: [(key: String, value: String)] = []
        for entry in entries {
            switch entry.value.content {
            case .scalar(.string(let string)): pairs.append((entry.key, string))
            case .scalar(.int(let int)): pairs.append((entry.key, String(int)))
            case .scalar(.bool(let bool)): pairs.append((entry.key, String(bool)))
            case .scalar(.double(let double)): pairs.append((entry.key, String(double)))
            default:
                fields.issues.error(
                    line: entry.value.line, field: FieldReader.path(field, entry.key),
                    "expected a string, found \(entry.value.foundDescription)", .type)
            }
        }
        return pairs
    }

    mutating func labels(_ node: SourceNode, field: String) -> Kustomization.Labels? {
        guard
            let members = members(
                node, field: field, allowed: ["pairs", "includeSelectors", "includeTemplates", "fields"])
        else { return nil }
        var labels = Kustomization.Labels(pairs: stringPairs(members["pairs"], field: FieldReader.path(field, "pairs")))
        labels.includeSelectors =
            fields.bool(members["includeSelectors"], field: FieldReader.path(field, "includeSelectors")) ?? false
        labels.includeTemplates =
            fields.bool(members["includeTemplates"], field: FieldReader.path(field, "includeTemplates")) ?? false
        labels.fields = fieldSpecs(members["fields"], field: FieldReader.path(field, "fields"))
        return labels
    }

    mutating func image(_ node: SourceNode, field: String) -> Kustomization.Image? {
        guard let members = members(node, field: field, allowed: ["name", "newName", "newTag", "digest"]) else {
            return nil
        }
        guard let name = required(members["name"], field: FieldReader.path(field, "name"), in: node) else { return nil }
        if let tag = members["newTag"], case .scalar(let value) = tag.content, value.stringValue == nil, value != .null
        {
            fields.issues.error(
                line: tag.line, field: FieldReader.path(field, "newTag"),
                "expected a string, found \(tag.foundDescription); quote the tag (newTag: \"1.10\") so YAML keeps it as written",
                .type)
            return nil
        }
        return Kustomization.Image(
            name: name, newName: fields.string(members["newName"], field: FieldReader.path(field, "newName")),
            newTag: fields.string(members["newTag"], field: FieldReader.path(field, "newTag")),
            digest: fields.string(members["digest"], field: FieldReader.path(field, "digest")))
    }

    mutating func replica(_ node: SourceNode, field: String) -> Kustomization.Replica? {
        guard let members = members(node, field: field, allowed: ["name", "count"]),
            let name = required(members["name"], field: FieldReader.path(field, "name"), in: node)
        else { return nil }
        guard let countNode = members["count"], !countNode.isNull else {
            fields.issues.error(line: node.line, field: FieldReader.path(field, "count"), "expected a count", .missing)
            return nil
        }
        return fields.int32(countNode, field: FieldReader.path(field, "count")).map {
            Kustomization.Replica(name: name, count: $0)
        }
    }

    mutating func patch(_ node: SourceNode, field: String, targetRequired: Bool) -> Kustomization.Patch? {
        let allowed = targetRequired ? ["path", "patch", "target"] : ["path", "patch", "target", "options"]
        guard let members = members(node, field: field, allowed: allowed) else { return nil }
        var patch = Kustomization.Patch(
            path: fields.string(members["path"], field: FieldReader.path(field, "path")),
            patch: fields.string(members["patch"], field: FieldReader.path(field, "patch")))
        guard (patch.path == nil) != (patch.patch == nil) else {
            fields.issues.error(line: node.line, field: field, "expected either path or patch", .missing)
            return nil
        }
        if let target = members["target"] {
            patch.target = selector(target, field: FieldReader.path(field, "target"))
            if patch.target == nil { return nil }
        } else if targetRequired {
            fields.issues.error(
                line: node.line, field: FieldReader.path(field, "target"), "expected a target", .missing)
            return nil
        }
        let optionsField = FieldReader.path(field, "options")
        if let options = self.members(
            members["options"], field: optionsField, allowed: ["allowNameChange", "allowKindChange"])
        {
            patch.allowNameChange =
                fields.bool(options["allowNameChange"], field: "\(optionsField).allowNameChange") ?? false
            patch.allowKindChange =
                fields.bool(options["allowKindChange"], field: "\(optionsField).allowKindChange") ?? false
        }
        return patch
    }

    mutating func selector(_ node: SourceNode, field: String) -> ResourceSelector? {
        let keys = ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"]
        guard let members = members(node, field: field, allowed: keys) else { return nil }
        var values: [String: String] = [:]
        for key in keys {
            values[key] = fields.string(members[key], field: FieldReader.path(field, key))
        }
        do {
            return try ResourceSelector(values)
        } catch {
            fields.issues.error(line: node.line, field: field, error.message, .invalid)
            return nil
        }
    }

    mutating func fieldSpecs(_ node: SourceNode?, field: String) -> [FieldSpec] {
        guard let node else { return [] }
        return elements(node, field: field) { reader, element, field in
            guard
                let members = reader.members(
                    element, field: field, allowed: ["group", "version", "kind", "path", "create"]),
                let path = reader.required(members["path"], field: FieldReader.path(field, "path"), in: element)
            else { return nil }
            return FieldSpec(
                path, group: reader.fields.string(members["group"], field: FieldReader.path(field, "group")),
                version: reader.fields.string(members["version"], field: FieldReader.path(field, "version")),
                kind: reader.fields.string(members["kind"], field: FieldReader.path(field, "kind")),
                create: reader.fields.bool(members["create"], field: FieldReader.path(field, "create")) ?? false)
        }.map(\.value)
    }

    mutating func generator(
        _ node: SourceNode, kind: Kustomization.Generator.Kind, field: String
    ) -> Kustomization.Generator? {
        var allowed = ["name", "namespace", "behavior", "literals", "files", "envs", "env", "options"]
        if kind == .secret { allowed.append("type") }
        guard let members = members(node, field: field, allowed: allowed),
            let name = required(members["name"], field: FieldReader.path(field, "name"), in: node)
        else { return nil }
        var generator = Kustomization.Generator(kind: kind, name: name)
        generator.namespace = fields.string(members["namespace"], field: FieldReader.path(field, "namespace"))
        if let behavior = fields.string(members["behavior"], field: FieldReader.path(field, "behavior")) {
            guard let known = Kustomization.Generator.Behavior(rawValue: behavior) else {
                fields.issues.error(
                    line: members["behavior"]?.line, field: FieldReader.path(field, "behavior"),
                    "expected create, merge or replace, found \"\(behavior)\"", .invalid)
                return nil
            }
            generator.behavior = known
        }
        generator.literals = strings(members["literals"], field: FieldReader.path(field, "literals")).map(\.value)
        generator.files = strings(members["files"], field: FieldReader.path(field, "files")).map(\.value)
        generator.envs = strings(members["envs"], field: FieldReader.path(field, "envs")).map(\.value)
        if let env = fields.string(members["env"], field: FieldReader.path(field, "env")) { generator.envs.append(env) }
        generator.type = fields.string(members["type"], field: FieldReader.path(field, "type"))
        if let options = members["options"] {
            generator.options = generatorOptions(options, field: FieldReader.path(field, "options")) ?? .init()
        }
        return generator
    }

    mutating func generatorOptions(_ node: SourceNode, field: String) -> Kustomization.GeneratorOptions? {
        let allowed = ["labels", "annotations", "disableNameSuffixHash", "immutable"]
        guard let members = members(node, field: field, allowed: allowed) else { return nil }
        return Kustomization.GeneratorOptions(
            labels: stringPairs(members["labels"], field: FieldReader.path(field, "labels")),
            annotations: stringPairs(members["annotations"], field: FieldReader.path(field, "annotations")),
            disableNameSuffixHash: fields.bool(
                members["disableNameSuffixHash"], field: FieldReader.path(field, "disableNameSuffixHash")),
            immutable: fields.bool(members["immutable"], field: FieldReader.path(field, "immutable")))
    }

    /// A string that must be present.
    mutating func required(_ node: SourceNode?, field: String, in parent: SourceNode) -> String? {
        guard node != nil, !(node?.isNull ?? true) else {
            let name = field.split(separator: ".").last.map(String.init) ?? field
            fields.issues.error(line: parent.line, field: field, "expected a \(name)", .missing)
            return nil
        }
        return fields.string(node, field: field)
    }

    private static func list(_ words: [String]) -> String {
        guard words.count > 1 else { return words.joined() }
        return words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1]
    }
}
