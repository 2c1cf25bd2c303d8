import KeelsonKubernetes
import KeelsonManifests

/// Reads Argo CD `Application` manifests (`argoproj.io/v1alpha1`) so people can bring the ones they
/// have. What Keelson uses: `metadata.name`, `spec.source.repoURL`, `path`, `targetRevision`,
/// `spec.destination.namespace`, `spec.syncPolicy.automated` with `prune`, `selfHeal` and `allowEmpty`. Every
/// other field is reported by its path, never dropped silently.
public enum ArgoApplicationImport {
    /// What an import produced.
    public struct Result: Sendable {
        public let applications: [Application]
        /// `file:line: field: what Keelson does with it` for each field it does not use.
        public let notices: [String]
    }

    /// Reads every `Application` in `files`.
    ///
    /// - Throws: ``ApplicationError/invalid(_:problems:)`` listing every problem (a file that does
    ///   not parse, a document that is not an Argo CD Application, a source Keelson cannot render).
    public static func read(_ files: [ManifestFile]) throws -> Result {
        let rendered: RenderedManifests
        do {
            rendered = try ManifestRenderer().render(files)
        } catch {
            throw ApplicationError.invalid("(import)", problems: error.errors.map(\.description))
        }
        var applications: [Application] = []
        var notices: [String] = []
        var problems: [String] = []
        for object in rendered.objects {
            let at = "\(object.source.file):\(object.source.line.map(String.init) ?? "?")"
            guard object.apiVersion == "argoproj.io/v1alpha1", object.kind == "Application" else {
                problems.append(
                    "\(at): expected an Argo CD Application (argoproj.io/v1alpha1), found \(object.apiVersion) \(object.kind)"
                )
                continue
            }
            var reader = Reader(location: at)
            if let application = reader.application(object) { applications.append(application) }
            notices += reader.notices
            problems += reader.problems
        }
        if !problems.isEmpty { throw ApplicationError.invalid("(import)", problems: problems) }
        return Result(applications: applications, notices: notices)
    }

    private struct Reader {
        let location: String
        var notices: [String] = []
        var problems: [String] = []

        mutating func application(_ object: KubeObject) -> Application? {
            let body = object.body
            report(body, "", keeping: ["apiVersion", "kind", "metadata", "spec", "status", "operation"])
            report(body["metadata"], "metadata", keeping: ["name", "namespace"])
            if body["status"] != nil || body["operation"] != nil {
                notice("status", "Argo CD's own state; Keelson keeps its own")
            }
            let spec = body["spec"]
            report(spec, "spec", keeping: ["source", "destination", "syncPolicy", "revisionHistoryLimit"])
            if spec?["sources"] != nil {
                problems.append(
                    "\(location): spec.sources: multi-source applications are not supported; use one spec.source")
            }
            let source = spec?["source"]
            report(source, "spec.source", keeping: ["repoURL", "path", "targetRevision"])
            for unsupported in ["helm", "chart", "plugin"] where source?[unsupported] != nil {
                problems.append(
                    "\(location): spec.source.\(unsupported): Keelson renders plain manifest folders and kustomizations, not Helm charts or plugins"
                )
            }
            guard let repository = source?["repoURL"]?.stringValue else {
                problems.append("\(location): spec.source.repoURL: expected the repository address")
                return nil
            }
            var revision = source?["targetRevision"]?.stringValue ?? "HEAD"
            if revision == "HEAD" {
                notice(
                    "spec.source.targetRevision", "HEAD is tracked as branch \"main\"; set the branch if yours differs")
                revision = "main"
            }
            let destination = spec?["destination"]
            report(destination, "spec.destination", keeping: ["namespace", "server", "name"])
            let server = destination?["server"]?.stringValue ?? "https://kubernetes.default.svc"
            if server != "https://kubernetes.default.svc"
                || (destination?["name"]?.stringValue ?? "in-cluster") != "in-cluster"
            {
                notice("spec.destination", "deploys to Keelson's simulated cluster, not \(server)")
            }
            var policy = Application.SyncPolicy(automated: false)
            let syncPolicy = spec?["syncPolicy"]
            report(syncPolicy, "spec.syncPolicy", keeping: ["automated"])
            if case .object(let automated)? = syncPolicy?["automated"] {
                policy.automated = true
                policy.prune = automated["prune"]?.boolValue ?? false
                policy.selfHeal = automated["selfHeal"]?.boolValue ?? false
                policy.allowEmpty = automated["allowEmpty"]?.boolValue ?? false
                report(.object(automated), "spec.syncPolicy.automated", keeping: ["prune", "selfHeal", "allowEmpty"])
            }
            return Application(
                name: object.name, repository: repository, revision: revision,
                path: source?["path"]?.stringValue ?? "",
                destination: .init(namespace: destination?["namespace"]?.stringValue ?? "default"), syncPolicy: policy,
                historyLimit: spec?["revisionHistoryLimit"]?.intValue)
        }

        /// Notices for the members of `value` that Keelson does not read.
        private mutating func report(_ value: JSONValue?, _ path: String, keeping known: Set<String>) {
            guard case .object(let object)? = value else { return }
            for member in object where !known.contains(member.key) {
                notice(path.isEmpty ? member.key : "\(path).\(member.key)", "not used by Keelson; ignored")
            }
        }

        private mutating func notice(_ field: String, _ message: String) {
            notices.append("\(location): \(field): \(message)")
        }
    }
}
