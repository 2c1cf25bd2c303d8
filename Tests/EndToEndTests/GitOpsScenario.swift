import Foundation
import KeelsonGit
import KeelsonTestSupport

/// A manifests repository (a bare `file://` remote and a work clone, built with the `git` CLI) and
/// a Keelson home, driven through the built `keelson` binary as a person would.
final class GitOpsScenario: Sendable {
    let repository: GitFixture
    let home: TemporaryFolder

    init() throws {
        repository = try GitFixture()
        home = try TemporaryFolder()
    }

    /// Runs `keelson ARGUMENTS…` against this scenario's home.
    @discardableResult
    func keelson(_ arguments: String...) async throws -> Command.Outcome {
        try await KeelsonCLI.run(arguments, home: home.path)
    }

    /// Writes a Deployment manifest at `apps/<app>/<name>.yaml`.
    func writeDeployment(
        _ name: String, app: String, image: String, replicas: Int = 2, progressDeadlineSeconds: Int = 600
    ) throws {
        try repository.write(
            "apps/\(app)/\(name).yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(name)
            spec:
              replicas: \(replicas)
              progressDeadlineSeconds: \(progressDeadlineSeconds)
              selector:
                matchLabels: {app: \(name)}
              template:
                metadata:
                  labels: {app: \(name)}
                spec:
                  containers:
                    - name: \(name)
                      image: registry.example.com/\(name):\(image)
            """)
    }

    /// Writes a Service manifest at `apps/<app>/<name>-service.yaml`.
    func writeService(_ name: String, app: String) throws {
        try repository.write(
            "apps/\(app)/\(name)-service.yaml",
            """
            apiVersion: v1
            kind: Service
            metadata:
              name: \(name)
            spec:
              selector: {app: \(name)}
              ports: [{port: 80, targetPort: 8080}]
            """)
    }

    /// Commits everything and pushes; returns the commit's SHA.
    @discardableResult
    func push(_ message: String) async throws -> String {
        let repository = repository
        // Committing and pushing runs `git` several times.
        return try await Command.offCooperativePool { try repository.commitAndPush(message).hex }
    }

    /// Registers `apps/<name>` of the repository as application `name`.
    func addApplication(_ name: String, _ flags: String...) async throws {
        let outcome = try await KeelsonCLI.run(
            ["app", "add", name, "--repo", repository.url, "--path", "apps/\(name)"] + flags, home: home.path)
        guard outcome.status == 0 else { throw ScenarioError(message: "app add \(name): \(outcome.stderr)") }
    }

    /// The live Deployment as `keelson cluster get deployment NAME -o json` prints it, nil when absent.
    func liveDeployment(_ name: String) async throws -> [String: Any]? {
        let outcome = try await keelson("cluster", "get", "deployment", name, "-o", "json")
        guard outcome.status == 0 else { return nil }
        return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
    }

    /// The first container's image of the live Deployment.
    func liveImage(_ name: String) async throws -> String? {
        let template = ((try await liveDeployment(name)?["spec"] as? [String: Any])?["template"] as? [String: Any])
        let containers = (template?["spec"] as? [String: Any])?["containers"] as? [[String: Any]]
        return containers?.first?["image"] as? String
    }

    /// `deployment.kubernetes.io/revision` of the live Deployment.
    func liveRevision(_ name: String) async throws -> String? {
        let metadata = try await liveDeployment(name)?["metadata"] as? [String: Any]
        return (metadata?["annotations"] as? [String: String])?["deployment.kubernetes.io/revision"]
    }

    /// `keelson status APP -o json`'s `status` object.
    func status(_ app: String) async throws -> [String: Any] {
        let outcome = try await keelson("status", app, "-o", "json")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        return object?["status"] as? [String: Any] ?? [:]
    }

    /// `keelson history APP -o json`, newest first.
    func history(_ app: String) async throws -> [[String: Any]] {
        let outcome = try await keelson("history", app, "-o", "json")
        return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]] ?? []
    }
}

struct ScenarioError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
