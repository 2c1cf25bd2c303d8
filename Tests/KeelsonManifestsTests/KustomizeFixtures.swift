import Foundation
import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

/// Building kustomizations in tests and comparing the objects semantically: the same objects (by kind,
/// namespace and name) with the same fields, whatever the key order; list order counts.
enum KustomizeFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/kustomize")

    /// The bodies `kustomize build` gives for the kustomization in `path`, before Keelson's validation.
    static func build(_ path: String, in repository: some RepositorySnapshot) async throws -> [JSONValue] {
        let paths = RepositoryPath(root: repository.root)
        guard case .path(let folder) = paths.resolve(path, from: repository.root) else {
            throw RenderFailure(errors: [], warnings: [])
        }
        var builder = KustomizeBuilder(repository: repository, cache: ManifestCache())
        let file = try #require(try await builder.kustomizationFile(in: folder))
        return try await builder.build(file).map(\.body)
    }

    /// The documents of a YAML file.
    static func objects(inFile path: String) throws -> [JSONValue] {
        let parsed = ManifestParser.documents(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(parsed.issues.isEmpty)
        return parsed.documents.filter { !$0.isNull }.map(\.json)
    }

    /// Records an issue for every object missing on either side and every object whose fields differ.
    static func expectSameObjects(
        _ actual: [JSONValue], _ expected: [JSONValue], sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let actualByKey = Dictionary(actual.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let expectedByKey = Dictionary(expected.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        #expect(actualByKey.count == actual.count, "duplicate objects built", sourceLocation: sourceLocation)
        #expect(
            actualByKey.keys.sorted() == expectedByKey.keys.sorted(), "objects differ", sourceLocation: sourceLocation)
        for (key, expectedBody) in expectedByKey {
            guard let actualBody = actualByKey[key] else { continue }
            #expect(
                actualBody.isEqual(to: expectedBody),
                "\(key) differs:\nbuilt\n\(actualBody.prettyJSON(indent: 2))\nexpected\n\(expectedBody.prettyJSON(indent: 2))",
                sourceLocation: sourceLocation)
        }
    }

    static func key(_ body: JSONValue) -> String {
        let id = ResourceID(body)
        return "\(id.kind)/\(id.namespace)/\(id.name)"
    }
}
