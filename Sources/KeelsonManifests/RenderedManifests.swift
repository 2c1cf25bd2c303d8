/// The objects rendered from an application's path, in a deterministic order, and any warnings.
public struct RenderedManifests: Sendable, Hashable {
    /// Objects ordered by file path (byte order), then by position in the file.
    public let objects: [KubeObject]
    /// Things that rendered but deserve attention, such as deprecated apiVersions.
    public let warnings: [ManifestWarning]

    /// Creates a result.
    public init(objects: [KubeObject], warnings: [ManifestWarning]) {
        self.objects = objects
        self.warnings = warnings
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
