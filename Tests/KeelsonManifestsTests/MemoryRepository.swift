import KeelsonKubernetes

@testable import KeelsonManifests

/// A repository held in memory: paths relative to its root, text contents.
struct MemoryRepository: RepositorySnapshot {
    var contents: [String: String]

    init(_ contents: [String: String]) {
        self.contents = contents
    }

    var root: String { "" }

    func files(under path: String) async throws -> [ManifestFile] {
        let found = contents.filter { RepositoryPath.isInside($0.key, folder: path) }
        guard !found.isEmpty else {
            throw ManifestError(
                location: SourceLocation(file: path, line: nil), field: "", message: "nothing here",
                category: .unreadable)
        }
        return found.map { ManifestFile(path: $0.key, text: $0.value) }.sorted { $0.path < $1.path }
    }

    func file(at path: String) async throws -> ManifestFile? {
        contents[path].map { ManifestFile(path: path, text: $0) }
    }
}
