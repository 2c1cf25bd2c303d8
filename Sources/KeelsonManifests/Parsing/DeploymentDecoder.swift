import KeelsonKubernetes

/// Builds the typed ``DeploymentSpec`` of one Deployment and checks the rules the API server and the
/// reconciler enforce, recording every problem rather than stopping at the first.
struct DeploymentDecoder {
    private var reader = FieldReader()
    private let prefix: String
    private let version: DeploymentAPIVersion

    /// - Parameters:
    ///   - version: The Deployment's apiVersion, which decides the defaults.
    ///   - prefix: The field path of the object inside its document (`items[2]` in a `List`), or empty.
    init(version: DeploymentAPIVersion, prefix: String) {
        self.version = version
        self.prefix = prefix
    }

    private func path(_ field: String) -> String { FieldReader.path(prefix, field) }

    /// Decodes the object; returns `nil` when any error was recorded.
    static func decode(
        _ object: SourceNode, version: DeploymentAPIVersion, prefix: String
    ) -> (spec: DeploymentSpec?, issues: FileIssues) {
        var decoder = DeploymentDecoder(version: version, prefix: prefix)
        let spec = decoder.decode(object)
        let issues = decoder.reader.issues
        return (issues.isEmpty ? spec : nil, issues)
    }

    private mutating func decode(_ object: SourceNode) -> DeploymentSpec? {
        guard let spec = reader.mapping(object["spec"], field: path("spec")) else {
            if object["spec"]?.isNull ?? true {
                reader.issues.error(
                    line: object.line, field: path("spec"), "expected a Deployment spec with a pod template", .missing)
            }
            return nil
        }
        let replicas = reader.int32(spec["replicas"], field: path("spec.replicas")) ?? 1
        let minReadySeconds = reader.int32(spec["minReadySeconds"], field: path("spec.minReadySeconds")) ?? 0
        let revisionHistoryLimit =
            reader.int32(spec["revisionHistoryLimit"], field: path("spec.revisionHistoryLimit"))
            ?? version.defaultRevisionHistoryLimit
        let deadlineNode = spec["progressDeadlineSeconds"]
        let progressDeadlineSeconds =
            reader.int32(deadlineNode, field: path("spec.progressDeadlineSeconds"))
            ?? version.defaultProgressDeadlineSeconds
        let paused = reader.bool(spec["paused"], field: path("spec.paused")) ?? false
        if let deadline = progressDeadlineSeconds, deadline <= minReadySeconds {
            reader.issues.error(
                line: deadlineNode?.line ?? spec.line, field: path("spec.progressDeadlineSeconds"),
                "expected a value greater than minReadySeconds (\(minReadySeconds)), found \(deadline)", .invalid)
        }
        let strategy = decodeStrategy(spec["strategy"], parent: spec)
        let template = decodeTemplate(spec["template"], parent: spec)
        let selector = decodeSelector(spec["selector"], parent: spec, template: template)
        guard let strategy, let template, let selector else { return nil }
        return DeploymentSpec(
            replicas: replicas, selector: selector, strategy: strategy,
            minReadySeconds: minReadySeconds, progressDeadlineSeconds: progressDeadlineSeconds,
            revisionHistoryLimit: revisionHistoryLimit, paused: paused, template: template)
    }

    private mutating func decodeStrategy(_ node: SourceNode?, parent: SourceNode) -> DeploymentStrategy? {
        let field = path("spec.strategy")
        let strategy = reader.mapping(node, field: field)
        let type = reader.string(strategy?["type"], field: "\(field).type") ?? "RollingUpdate"
        let rollingField = "\(field).rollingUpdate"
        let rollingUpdate = reader.mapping(strategy?["rollingUpdate"], field: rollingField)
        switch type {
        case "Recreate":
            if let rollingUpdate {
                reader.issues.error(
                    line: rollingUpdate.line, field: rollingField,
                    "expected no rollingUpdate when strategy type is Recreate; remove it or use type RollingUpdate",
                    .invalid)
                return nil
            }
            return .recreate
        case "RollingUpdate":
            let surgeNode = rollingUpdate?["maxSurge"]
            let unavailableNode = rollingUpdate?["maxUnavailable"]
            let maxSurge = intOrPercent(surgeNode, field: "\(rollingField).maxSurge", atMost100: false)
            let maxUnavailable = intOrPercent(unavailableNode, field: "\(rollingField).maxUnavailable", atMost100: true)
            guard case .read(let surge) = maxSurge, case .read(let unavailable) = maxUnavailable else { return nil }
            if surge.isZero, unavailable.isZero {
                reader.issues.error(
                    line: unavailableNode?.line ?? surgeNode?.line ?? rollingUpdate?.line ?? parent.line,
                    field: "\(rollingField).maxUnavailable",
                    "expected maxSurge or maxUnavailable to be greater than 0; with both 0 no pod can ever be replaced",
                    .invalid)
                return nil
            }
            return .rollingUpdate(maxSurge: surge, maxUnavailable: unavailable)
        default:
            reader.issues.error(
                line: strategy?["type"]?.line ?? parent.line, field: "\(field).type",
                "expected RollingUpdate or Recreate, found \"\(type)\"", .invalid)
            return nil
        }
    }

    private enum IntOrPercentField {
        case read(IntOrPercent)
        case invalid
    }

    /// Reads `maxSurge` or `maxUnavailable`, applying the version's default when unset.
    private mutating func intOrPercent(_ node: SourceNode?, field: String, atMost100: Bool) -> IntOrPercentField {
        guard let node, !node.isNull else {
            return .read(atMost100 ? version.defaultMaxUnavailable : version.defaultMaxSurge)
        }
        let value: IntOrPercent
        switch node.content {
        case .scalar(.int(let count)):
            guard count >= 0 else {
                reader.issues.error(
                    line: node.line, field: field, "expected a value greater than or equal to 0, found \(count)",
                    .invalid)
                return .invalid
            }
            value = .count(count)
        case .scalar(.string(let text)):
            guard text.hasSuffix("%"), let percent = Int(text.dropLast()), percent >= 0, !text.hasPrefix("+") else {
                reader.issues.error(
                    line: node.line, field: field,
                    "expected a non-negative integer or a percentage like \"25%\", found string \"\(text)\"", .invalid)
                return .invalid
            }
            value = .percent(percent)
        default:
            reader.issues.error(
                line: node.line, field: field,
                "expected a non-negative integer or a percentage like \"25%\", found \(node.foundDescription)", .type)
            return .invalid
        }
        if atMost100, case .percent(let percent) = value, percent > 100 {
            reader.issues.error(
                line: node.line, field: field, "expected a percentage no greater than 100%, found \(percent)%", .invalid
            )
            return .invalid
        }
        return .read(value)
    }

    private mutating func decodeTemplate(_ node: SourceNode?, parent: SourceNode) -> PodTemplateSpec? {
        let field = path("spec.template")
        guard let template = reader.mapping(node, field: field) else {
            if node?.isNull ?? true {
                reader.issues.error(
                    line: parent.line, field: field, "expected a pod template with metadata.labels and spec.containers",
                    .missing)
            }
            return nil
        }
        let errorsBefore = reader.issues.errors.count
        let metadata = reader.mapping(template["metadata"], field: "\(field).metadata")
        _ = reader.stringMap(metadata?["labels"], field: "\(field).metadata.labels")
        _ = reader.stringMap(metadata?["annotations"], field: "\(field).metadata.annotations")
        let specField = "\(field).spec"
        guard let podSpec = reader.mapping(template["spec"], field: specField) else {
            if template["spec"]?.isNull ?? true {
                reader.issues.error(
                    line: template.line, field: specField, "expected a pod spec with at least one container", .missing)
            }
            return nil
        }
        guard checkContainers(podSpec) else { return nil }
        do {
            return try PodTemplateSpec(json: template.json)
        } catch {
            // What the template view refuses was reported above, with its line.
            if reader.issues.errors.count == errorsBefore {
                reader.issues.error(line: template.line, field: "\(field).\(error.field)", error.problem, .invalid)
            }
            return nil
        }
    }

    /// Checks every container and init container; whether all are sound.
    private mutating func checkContainers(_ podSpec: SourceNode) -> Bool {
        let specField = path("spec.template.spec")
        let containersField = "\(specField).containers"
        let containerNodes = reader.list(podSpec["containers"], field: containersField)
        let initNodes = reader.list(podSpec["initContainers"], field: "\(specField).initContainers") ?? []
        guard let containerNodes else {
            if podSpec["containers"]?.isNull ?? true {
                reader.issues.error(
                    line: podSpec.line, field: containersField, "expected at least one container", .missing)
            }
            return false
        }
        if containerNodes.isEmpty {
            reader.issues.error(
                line: podSpec["containers"]?.line ?? podSpec.line, field: containersField,
                "expected at least one container, found an empty list", .missing)
        }
        // Kubernetes requires names to be unique across init and regular containers.
        var seenNames: [String: String] = [:]
        var failed = containerNodes.isEmpty
        let all =
            initNodes.enumerated().map { ("\(specField).initContainers[\($0.offset)]", $0.element, false) }
            + containerNodes.enumerated().map { ("\(containersField)[\($0.offset)]", $0.element, true) }
        for (field, node, isRegular) in all {
            guard let container = reader.mapping(node, field: field) else {
                if node.isNull {
                    reader.issues.error(line: node.line, field: field, "expected a container, found null", .missing)
                }
                failed = true
                continue
            }
            let name = reader.string(container["name"], field: "\(field).name")
            if let name {
                if let problem = NameRules.labelProblem(name) {
                    reader.issues.error(line: container["name"]?.line, field: "\(field).name", problem, .invalid)
                    failed = true
                } else if let first = seenNames[name] {
                    reader.issues.error(
                        line: container["name"]?.line, field: "\(field).name",
                        "expected unique container names, \"\(name)\" is already used by \(first)", .duplicate)
                    failed = true
                } else {
                    seenNames[name] = field
                }
            } else if container["name"]?.isNull ?? true {
                reader.issues.error(line: container.line, field: "\(field).name", "expected a container name", .missing)
                failed = true
            }
            let image = decodeImage(container, field: field)
            let probeField = "\(field).readinessProbe"
            let probe = reader.mapping(container["readinessProbe"], field: probeField)
            _ = reader.int32(probe?["initialDelaySeconds"], field: "\(probeField).initialDelaySeconds")
            if isRegular, name == nil || image == nil { failed = true }
        }
        return !failed
    }

    private mutating func decodeImage(_ container: SourceNode, field: String) -> ImageReference? {
        let imageField = "\(field).image"
        let node = container["image"]
        guard let text = reader.string(node, field: imageField) else {
            if node?.isNull ?? true {
                reader.issues.error(
                    line: node?.line ?? container.line, field: imageField,
                    "expected a non-empty image reference such as registry.example.com/team/app:1.2.3", .missing)
            }
            return nil
        }
        do {
            return try ImageReference(parsing: text)
        } catch {
            reader.issues.error(
                line: node?.line, field: imageField,
                "expected an image reference [registry[:port]/]path[:tag][@sha256:<64 hex digits>]: \(error)", .invalid)
            return nil
        }
    }

    private mutating func decodeSelector(_ node: SourceNode?, parent: SourceNode, template: PodTemplateSpec?)
        -> LabelSelector?
    {
        let field = path("spec.selector")
        let selectorNode = reader.mapping(node, field: field)
        if selectorNode == nil, !(node?.isNull ?? true) { return nil }
        guard let selectorNode else {
            guard version.defaultsSelectorFromTemplate, let template, !template.labels.isEmpty else {
                reader.issues.error(
                    line: parent.line, field: field,
                    "expected a selector matching the pod template labels, e.g. matchLabels: {app: web}", .missing)
                return nil
            }
            return LabelSelector(matchLabels: template.labels)
        }
        let matchLabels = reader.stringMap(selectorNode["matchLabels"], field: "\(field).matchLabels") ?? [:]
        let expressionNodes = reader.list(selectorNode["matchExpressions"], field: "\(field).matchExpressions") ?? []
        let errorsBeforeExpressions = reader.issues.errors.count
        for (index, expression) in expressionNodes.enumerated() {
            let expressionField = "\(field).matchExpressions[\(index)]"
            guard reader.mapping(expression, field: expressionField) != nil else { continue }
            if reader.string(expression["key"], field: "\(expressionField).key") == nil,
                expression["key"]?.isNull ?? true
            {
                reader.issues.error(
                    line: expression.line, field: "\(expressionField).key", "expected a label key", .missing)
            }
            let operatorField = "\(expressionField).operator"
            let values = reader.list(expression["values"], field: "\(expressionField).values") ?? []
            switch reader.string(expression["operator"], field: operatorField) {
            case "In", "NotIn":
                if values.isEmpty {
                    reader.issues.error(
                        line: expression.line, field: "\(expressionField).values",
                        "expected at least one value for operator In or NotIn", .missing)
                }
            case "Exists", "DoesNotExist":
                if !values.isEmpty {
                    reader.issues.error(
                        line: expression.line, field: "\(expressionField).values",
                        "expected no values for operator Exists or DoesNotExist", .invalid)
                }
            case let other?:
                reader.issues.error(
                    line: expression["operator"]?.line, field: operatorField,
                    "expected In, NotIn, Exists or DoesNotExist, found \"\(other)\"", .invalid)
            case nil:
                if expression["operator"]?.isNull ?? true {
                    reader.issues.error(
                        line: expression.line, field: operatorField,
                        "expected an operator: In, NotIn, Exists or DoesNotExist", .missing)
                }
            }
        }
        let selector = LabelSelector(matchLabels: matchLabels, matchExpressions: expressionNodes.map(\.json))
        if selector.isEmpty {
            reader.issues.error(
                line: selectorNode.line, field: field,
                "expected matchLabels or matchExpressions; an empty selector would select every pod", .invalid)
            return nil
        }
        // A malformed expression is already reported; whether it matches means nothing.
        guard reader.issues.errors.count == errorsBeforeExpressions else { return nil }
        if let template, !selector.matches(template.labels) {
            reader.issues.error(
                line: selectorNode.line, field: field,
                "expected the selector to match spec.template.metadata.labels (\(Self.describe(template.labels))), found \(Self.describe(matchLabels))\(selector.matchExpressions.isEmpty ? "" : " with matchExpressions")",
                .invalid)
            return nil
        }
        return selector
    }

    private static func describe(_ labels: [String: String]) -> String {
        labels.isEmpty
            ? "no labels"
            : "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }
}
