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

    /// `base`, then `doomed` on top of it, fetched into a mirror; then the branch force-pushed
    /// back to `base` plus `replacement`, not fetched yet.
    func forcePushedAfterFetch() async throws -> (
        mirror: GitMirror, base: ObjectID, doomed: ObjectID, replacement: ObjectID
    ) {
        let base = try publish("base", ["a.yaml": "a: 1"])
        let doomed = try publish("doomed", ["a.yaml": "a: 2"])
        let mirror = try await fetchedMirror()
        try git.git("reset", "--quiet", "--hard", base.hex)
        try git.write("a.yaml", "a: 3")
        let replacement = try git.commit("replacement")
        try git.push(force: true)
        return (mirror, base, doomed, replacement)
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
