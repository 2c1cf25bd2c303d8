/// How the renderer treats a path under an application's folder.
enum ManifestPath {
    /// A `.yaml`, `.yml` or `.json` file to load.
    case manifest
    /// A kustomization file: its folder needs kustomize.
    case kustomization
    /// Anything else (hidden files, README.md, scripts, Helm's Chart.yaml): skipped silently.
    case skipped

    static let kustomizationNames = Set(Kustomization.fileNames)

    /// - Parameters:
    ///   - path: the file's path.
    ///   - root: the application's folder; only folders below it can make a file hidden, so an
    ///     application kept under `.deploy/` or given as `./apps/web` still loads.
    init(_ path: String, below root: String = "") {
        var relative = Substring(path)
        let trimmedRoot = root.hasSuffix("/") ? String(root.dropLast()) : root
        if !trimmedRoot.isEmpty, relative.hasPrefix(trimmedRoot + "/") {
            relative = relative.dropFirst(trimmedRoot.count + 1)
        }
        let components = relative.split(separator: "/").filter { $0 != "." && $0 != ".." }
        guard let name = components.last, !components.contains(where: { $0.hasPrefix(".") }) else {
            self = .skipped
            return
        }
        if Self.kustomizationNames.contains(String(name)) {
            self = .kustomization
            return
        }
        let lowercased = name.lowercased()
        // Helm charts are out of scope; their Chart.yaml is metadata, not a Kubernetes object.
        guard lowercased != "chart.yaml", lowercased != "chart.yml" else {
            self = .skipped
            return
        }
        let isManifest = lowercased.hasSuffix(".yaml") || lowercased.hasSuffix(".yml") || lowercased.hasSuffix(".json")
        self = isManifest ? .manifest : .skipped
    }

    /// The folder part of a path, empty for a file at the root.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}

extension ManifestRenderer {
    /// Why the renderer skips the file at `path` (under the application's folder `root`), for a
    /// message about a folder that rendered nothing; nil for a file it loads.
    public static func whySkipped(_ path: String, below root: String) -> String? {
        guard ManifestPath(path, below: root) == .skipped else { return nil }
        let name = (path.split(separator: "/").last ?? "").lowercased()
        if name == "chart.yaml" || name == "chart.yml" {
            return "a Helm chart: Keelson does not render charts; commit their rendered output"
        }
        if name.hasSuffix(".jsonnet") || name.hasSuffix(".libsonnet") {
            return "Jsonnet: Keelson does not evaluate it; commit its output as YAML or JSON"
        }
        if path.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { return "hidden" }
        return "not a .yaml, .yml or .json file"
    }
}
