import ArgumentParser
import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonKubernetes
import KeelsonManifests

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render and validate an application's manifests, from a local folder or from git.",
        discussion: """
            Every error names the file, the line, the field and what was expected; all errors are \
            listed together. Exit status: 0 valid, 1 invalid manifests, 2 any other error.
            """)

    @Argument(help: "A local folder or file of manifests (omit with --repo).")
    var folder: String?

    @Option(name: .long, help: "Render from this git repository instead of a local folder.")
    var repo: String?

    @Option(name: .long, help: "With --repo: the folder or file inside the repository.")
    var path = ""

    @Option(name: .long, help: "With --repo: branch, tag or commit SHA.")
    var revision = "main"

    @Option(name: .shortAndLong, help: "table or json (a v1 List, as `kubectl get -o json`).")
    var output: OutputFormat = .table

    @OptionGroup var home: HomeOptions

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func validate() throws {
        guard (folder == nil) != (repo == nil) else {
            throw ValidationError("give either a local folder or --repo URL (with --path and --revision)")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let rendered: RenderedManifests
            if let repo {
                let loader = DesiredStateLoader(stateFolder: home.folder)
                let mirror = try await loader.mirrors.mirror(for: RemoteURL(repo))
                let fetched = try await mirror.fetch(
                    revision, options: NetworkOptions(credentials: try GitCredentials.fromEnvironment()))
                rendered = try await loader.render(mirror, commit: fetched.commit, path: path).manifests
            } else {
                rendered = try await RenderCommand.render(localPath: folder!)
            }
            for warning in rendered.warnings { printError("warning: \(warning)") }
            switch output {
            case .table: print(Narration.objectTable(rendered.objects))
            case .json: print(rendered.list.prettyJSON())
            }
        }
    }

    /// Renders a local folder or file; a kustomization may read bases anywhere in the enclosing git
    /// checkout (or, outside one, below the folder itself).
    static func render(localPath: String) async throws -> RenderedManifests {
        guard FileManager.default.fileExists(atPath: localPath) else {
            throw ValidationError("\(localPath): no such file or folder")
        }
        let (repository, path) = LocalRepository.enclosing(localPath)
        return try await ManifestRenderer().render(path: path, in: repository)
    }

    /// The manifests under a local folder (or one file), named by their path as the user gave it.
    static func localFiles(_ path: String) throws -> [ManifestFile] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ValidationError("\(path): no such file or folder")
        }
        guard isFolder.boolValue else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("\(path): cannot read")
            }
            return [ManifestFile(path: path, contents: Array(data))]
        }
        let prefix = path.hasSuffix("/") ? String(path.dropLast()) : path
        return try ManifestFile.loadLocal(at: path).map {
            ManifestFile(path: prefix + "/" + $0.path, blobID: $0.blobID, contents: $0.contents)
        }
    }
}
