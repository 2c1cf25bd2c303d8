import Foundation

@testable import KeelsonManifests

/// Shared inputs for the tests: a valid Deployment whose line numbers the tables rely on.
enum Fixtures {
    /// A valid `apps/v1` Deployment. Line numbers are in the comments of ``deploymentLines``.
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: app
                image: ghcr.io/acme/web:1.0.0
              - name: sidecar
                image: envoyproxy/envoy:v1.30.1
        """

    /// ``deployment`` with one line replaced by another text (which may span several lines).
    static func deployment(replacing line: String, with replacement: String) -> String {
        var lines = deployment.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(of: line) else { fatalError("fixture has no line \(line)") }
        lines[index] = replacement
        return lines.joined(separator: "\n")
    }

    /// ``deployment`` with extra lines inserted after a line.
    static func deployment(inserting addition: String, after line: String) -> String {
        deployment(replacing: line, with: line + "\n" + addition)
    }

    /// A small ConfigMap named `name`.
    static func configMap(_ name: String, namespace: String? = nil) -> String {
        let namespaceLine = namespace.map { "\n  namespace: \($0)" } ?? ""
        return """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: \(name)\(namespaceLine)
            data:
              key: value
            """
    }

    /// Renders text files with a fresh cache.
    static func render(
        _ files: [(path: String, text: String)], options: ManifestRenderer.Options = .init()
    ) -> Result<RenderedManifests, RenderFailure> {
        let renderer = ManifestRenderer(options: options)
        return Result { () throws(RenderFailure) in
            try renderer.render(files.map { ManifestFile(path: $0.path, text: $0.text) })
        }
    }

    /// The errors of rendering one file, or an empty list when it rendered.
    static func errors(_ text: String, path: String = "apps/web/deployment.yaml") -> [ManifestError] {
        switch render([(path, text)]) {
        case .success: []
        case .failure(let failure): failure.errors
        }
    }
}

extension String {
    /// The text with the first occurrence of `target` replaced; the fixture must contain it.
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard let range = range(of: target) else { fatalError("fixture has no \(target)") }
        return replacingCharacters(in: range, with: replacement)
    }
}
