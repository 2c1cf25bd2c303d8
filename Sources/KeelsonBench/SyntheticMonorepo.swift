import Foundation
import KeelsonGit

/// A generated manifests monorepo: `apps/app-NNNN/` folders, each with `deployments` Deployments
/// of realistic size (labels, probes, resources, env) and a Service, committed with libgit2 into a
/// bare repository served over `file://`, then packed with `git repack`.
public struct SyntheticMonorepo: Sendable {
    public let writer: RepositoryWriter
    public let apps: Int
    public let deploymentsPerApp: Int
    private let author = Commit.Signature(
        name: "CI", email: "ci@example.com", date: Date(timeIntervalSince1970: 1_700_000_000))

    /// Creates the repository at `path` with its first commit.
    public init(at path: String, apps: Int, deploymentsPerApp: Int) throws {
        writer = try RepositoryWriter(bareRepositoryAt: path)
        self.apps = apps
        self.deploymentsPerApp = deploymentsPerApp
        var files: [String: [UInt8]?] = [:]
        for app in 0..<apps {
            for deployment in 0..<deploymentsPerApp {
                files[Self.deploymentPath(app, deployment)] = Array(Self.deployment(app, deployment, tag: "1.0.0").utf8)
            }
            files["\(Self.folder(app))/service.yaml"] = Array(Self.service(app).utf8)
        }
        _ = try writer.commit(files, onBranch: "main", message: "Initial manifests", author: author)
        // Packed, as a git server keeps a repository (pushes arrive as packs, and `git gc`
        // repacks): libgit2 wrote every object as a loose file, which each fetch from the
        // repository then opened one by one.
        try Floors.git(["-C", path, "repack", "-a", "-d", "-q"])
    }

    /// The application names, `app-0000`…
    public var names: [String] { (0..<apps).map(Self.name) }

    /// Commits new image tags for the first Deployment of each of `apps`, dated `date` (now by
    /// default). Commits must get later dates as they come, as in real repositories: libgit2's
    /// history walks stop early by date, and over thousands of commits of one date they walked
    /// the whole history at every fetch.
    @discardableResult
    public func bumpImages(of apps: [Int], to tag: String, at date: Date = Date()) throws -> ObjectID {
        var files: [String: [UInt8]?] = [:]
        for app in apps { files[Self.deploymentPath(app, 0)] = Array(Self.deployment(app, 0, tag: tag).utf8) }
        let author = Commit.Signature(name: author.name, email: author.email, date: date)
        return try writer.commit(files, onBranch: "main", message: "Bump \(apps.count) apps to \(tag)", author: author)
    }

    public static func name(_ app: Int) -> String { String(format: "app-%04d", app) }
    public static func folder(_ app: Int) -> String { "apps/\(name(app))" }

    static func deploymentPath(_ app: Int, _ deployment: Int) -> String {
        "\(folder(app))/deployment-\(String(format: "%02d", deployment)).yaml"
    }

    static func deployment(_ app: Int, _ index: Int, tag: String) -> String {
        let name = "\(Self.name(app))-d\(String(format: "%02d", index))"
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(name)
              labels:
                app.kubernetes.io/name: \(name)
                app.kubernetes.io/part-of: \(Self.name(app))
                team: team-\(app % 17)
            spec:
              replicas: 10
              revisionHistoryLimit: 5
              selector:
                matchLabels:
                  app.kubernetes.io/name: \(name)
              strategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: 25%
                  maxUnavailable: 25%
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: \(name)
                    app.kubernetes.io/part-of: \(Self.name(app))
                spec:
                  containers:
                    - name: main
                      image: registry.example.com/\(Self.name(app))/service-\(index):\(tag)
                      ports:
                        - containerPort: 8080
                      env:
                        - name: LOG_LEVEL
                          value: info
                        - name: SERVICE_NAME
                          value: \(name)
                      resources:
                        requests: {cpu: 100m, memory: 128Mi}
                        limits: {cpu: 500m, memory: 256Mi}
                      readinessProbe:
                        httpGet: {path: /healthz, port: 8080}
                        initialDelaySeconds: 2
                      livenessProbe:
                        httpGet: {path: /healthz, port: 8080}
                        initialDelaySeconds: 10
            """
    }

    static func service(_ app: Int) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(Self.name(app))
        spec:
          selector:
            app.kubernetes.io/part-of: \(Self.name(app))
          ports:
            - port: 80
              targetPort: 8080
        """
    }
}
