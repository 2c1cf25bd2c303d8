import KeelsonKubernetes

/// Turns one YAML document into Kubernetes objects: checks identity fields, expands `List` kinds and
/// decodes Deployments.
struct ObjectDecoder {
    private var reader = FieldReader()
    private(set) var objects: [KubeObject] = []

    var issues: FileIssues { reader.issues }

    /// Decodes a document root. A `null` root is an empty document and yields nothing.
    mutating func decodeDocument(_ root: SourceNode) {
        guard !root.isNull else { return }
        decodeObject(root, prefix: "")
    }

    private mutating func decodeObject(_ node: SourceNode, prefix: String) {
        guard case .mapping = node.content else {
            reader.issues.error(
                line: node.line, field: prefix,
                "expected a Kubernetes object (a mapping with apiVersion, kind and metadata.name), found \(node.foundDescription)",
                .type)
            return
        }
        let apiVersion = reader.string(node["apiVersion"], field: FieldReader.path(prefix, "apiVersion"))
        let kind = reader.string(node["kind"], field: FieldReader.path(prefix, "kind"))
        guard let apiVersion, let kind else {
            let missing = [("apiVersion", apiVersion), ("kind", kind)].first {
                $0.1 == nil && (node[$0.0]?.isNull ?? true)
            }
            if let (key, _) = missing {
                reader.issues.error(
                    line: node.line, field: FieldReader.path(prefix, key),
                    "expected every document to be a Kubernetes object with apiVersion and kind", .missing)
            }
            return
        }
        guard Self.isWellFormed(apiVersion: apiVersion) else {
            reader.issues.error(
                line: node["apiVersion"]?.line, field: FieldReader.path(prefix, "apiVersion"),
                "expected group/version or version (e.g. apps/v1 or v1), found \"\(apiVersion)\"", .invalid)
            return
        }
        if kind.hasSuffix("List"), let items = node["items"] {
            decodeList(items, prefix: prefix)
            return
        }
        decodeSingleObject(node, apiVersion: apiVersion, kind: kind, prefix: prefix)
    }

    private mutating func decodeList(_ items: SourceNode, prefix: String) {
        let itemsField = FieldReader.path(prefix, "items")
        guard let elements = reader.list(items, field: itemsField) else { return }
        for (index, element) in elements.enumerated() {
            decodeObject(element, prefix: "\(itemsField)[\(index)]")
        }
    }

    private mutating func decodeSingleObject(_ node: SourceNode, apiVersion: String, kind: String, prefix: String) {
        let errorsBefore = reader.issues.errors.count
        let metadataField = FieldReader.path(prefix, "metadata")
        let metadata = reader.mapping(node["metadata"], field: metadataField)
        let nameField = "\(metadataField).name"
        let name = reader.string(metadata?["name"], field: nameField)
        let namespace = reader.string(metadata?["namespace"], field: "\(metadataField).namespace")
        _ = reader.stringMap(metadata?["labels"], field: "\(metadataField).labels")
        _ = reader.stringMap(metadata?["annotations"], field: "\(metadataField).annotations")
        if let name {
            let problem =
                kind == "Service" && !apiVersion.contains("/")
                ? NameRules.dns1035Problem(name) : NameRules.subdomainProblem(name)
            if let problem {
                reader.issues.error(line: metadata?["name"]?.line, field: nameField, problem, .invalid)
            }
        } else if metadata?["name"]?.isNull ?? true {
            let hint =
                metadata?["generateName"] != nil
                ? " (generateName is not supported: Keelson must know the name to track the object)" : ""
            reader.issues.error(
                line: metadata?.line ?? node.line, field: nameField, "expected a name for this \(kind)\(hint)", .missing
            )
        }
        if let namespace, let problem = NameRules.labelProblem(namespace) {
            reader.issues.error(
                line: metadata?["namespace"]?.line, field: "\(metadataField).namespace", problem, .invalid)
        }
        var deployment: DeploymentSpec?
        if kind == "Deployment", let group = apiVersion.split(separator: "/").first,
            group == "apps" || group == "extensions"
        {
            guard let version = DeploymentAPIVersion(rawValue: apiVersion) else {
                reader.issues.error(
                    line: node["apiVersion"]?.line, field: FieldReader.path(prefix, "apiVersion"),
                    "expected apps/v1 for a Deployment, found \"\(apiVersion)\"", .invalid)
                return
            }
            if version.isDeprecated {
                reader.issues.warning(
                    line: node["apiVersion"]?.line, field: FieldReader.path(prefix, "apiVersion"),
                    "\(apiVersion) Deployments were removed in Kubernetes 1.16; loaded with that version's defaults (\(Self.describeDefaults(version))); change apiVersion to apps/v1"
                )
            }
            let decoded = DeploymentDecoder.decode(node, version: version, prefix: prefix)
            reader.issues.append(decoded.issues)
            deployment = decoded.spec
        }
        if let controller = Self.reconciledElsewhere[Self.group(of: apiVersion) + "/" + kind] {
            reader.issues.warning(
                line: node["kind"]?.line, field: FieldReader.path(prefix, "kind"),
                "a \(kind) is reconciled by \(controller), not by Keelson: Keelson applies it as given, and nothing "
                    + "acts on it unless \(controller) runs on the target; its health is not assessed")
        }
        guard reader.issues.errors.count == errorsBefore, let name else { return }
        objects.append(
            KubeObject(
                apiVersion: apiVersion, kind: kind, namespace: namespace, name: name, body: node.json,
                deployment: deployment, source: SourceLocation(file: "", line: node.line)))
    }

    /// Kinds that only another GitOps or delivery controller acts on, by `group/kind`: applied by
    /// Keelson, they do nothing by themselves.
    static let reconciledElsewhere = [
        "helm.toolkit.fluxcd.io/HelmRelease": "Flux's helm-controller",
        "kustomize.toolkit.fluxcd.io/Kustomization": "Flux's kustomize-controller",
        "source.toolkit.fluxcd.io/GitRepository": "Flux's source-controller",
        "source.toolkit.fluxcd.io/HelmRepository": "Flux's source-controller",
        "argoproj.io/Application": "Argo CD",
        "argoproj.io/ApplicationSet": "Argo CD",
        "argoproj.io/Rollout": "Argo Rollouts",
    ]

    private static func group(of apiVersion: String) -> String {
        apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
    }

    private static func describeDefaults(_ version: DeploymentAPIVersion) -> String {
        let history =
            version.defaultRevisionHistoryLimit.map { "revisionHistoryLimit \($0)" } ?? "no revisionHistoryLimit"
        let deadline =
            version.defaultProgressDeadlineSeconds.map { "progressDeadlineSeconds \($0)" }
            ?? "no progressDeadlineSeconds"
        return
            "maxSurge \(version.defaultMaxSurge), maxUnavailable \(version.defaultMaxUnavailable), \(history), \(deadline)"
    }

    private static func isWellFormed(apiVersion: String) -> Bool {
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && !$0.contains(" ") }
    }
}
