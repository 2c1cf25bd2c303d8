import KeelsonKubernetes

/// The objects rendered from an application's path, in a deterministic order, and any warnings.
public struct RenderedManifests: Sendable, Hashable {
    /// Objects ordered by file path (byte order), then by position in the file.
    public let objects: [KubeObject]
    /// Things that rendered but deserve attention, such as deprecated apiVersions.
    public let warnings: [ManifestWarning]
    /// The repository paths the render read, sorted, none inside another: the application's path, every
    /// kustomization folder a kustomization reached (`../base`), and files read outside those folders
    /// (patches, generator files). A commit that changes nothing under them cannot change the render (a symbolic
    /// link is listed under its own path, not its target's).
    public let sources: [String]

    /// Creates a result.
    public init(objects: [KubeObject], warnings: [ManifestWarning], sources: [String] = []) {
        self.objects = objects
        self.warnings = warnings
        self.sources = sources
    }

    /// All objects as a `v1` `List`, the shape `kubectl get -o json` prints for several objects.
    ///
    /// Serialise it with ``JSONValue/canonicalJSON`` or ``JSONValue/prettyJSON(indent:)``; the same input
    /// always yields the same bytes.
    public var list: JSONValue {
        .object(
            JSONObject([
                ("apiVersion", .string("v1")),
                ("kind", .string("List")),
                ("items", .array(objects.map(\.body))),
            ]))
    }
}
