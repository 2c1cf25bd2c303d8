import Foundation
import KeelsonGit
import KeelsonTestSupport

/// A fixture repository with a mirror cache of its own.
struct MirrorFixture {
    let git: GitFixture
    let state: TemporaryFolder
    let cache: MirrorCache

    init(branch: String = "main") throws {
        git = try GitFixture(branch: branch)
        state = try TemporaryFolder("keelson-state")
        cache = MirrorCache(stateFolder: state.path)
    }

    func mirror(_ address: String? = nil) async throws -> GitMirror {
        try await cache.mirror(for: RemoteURL(address ?? git.url))
    }

    /// The mirror of the fixture's remote, with `main` fetched.
    func fetchedMirror() async throws -> GitMirror {
        let mirror = try await mirror()
        _ = try await mirror.fetch(git.branch)
        return mirror
    }

    /// Writes the files, commits and pushes.
    @discardableResult
    func publish(_ message: String, _ files: [String: String]) throws -> ObjectID {
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) { try git.write(path, contents) }
        return try git.commitAndPush(message)
    }
}

func deployment(_ name: String, image: String) -> String {
    """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: \(name)
    spec:
      replicas: 2
      template:
        spec:
          containers:
          - name: \(name)
            image: \(image)
    """
}
