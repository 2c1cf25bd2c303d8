import ArgumentParser
import Foundation
import KeelsonCore

/// `keelson app …`: the applications Keelson deploys.
struct AppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app", abstract: "Add, list, change and remove the applications Keelson deploys.",
        subcommands: [Add.self, List.self, Set.self, Remove.self, Apply.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an application.")

        @Argument(help: "Its name (a DNS-1123 label).") var name: String
        @Option(name: .long, help: "The repository (https, ssh, git@host:org/repo, file:// or a path).") var repo:
            String
        @Option(name: .long, help: "The folder (or file) inside the repository.") var path: String
        @Option(name: .long, help: "Branch, tag or commit SHA.") var revision = "main"
        @Option(name: .long, help: "The namespace for objects that name none.") var namespace = "default"
        @Flag(name: .long, help: "Sync only when asked (`keelson sync`).") var manual = false
        @Flag(name: .long, help: "Undo live changes made behind Keelson's back.") var selfHeal = false
        @Flag(name: .long, help: "Delete live objects removed from git.") var prune = false
        @Flag(name: .long, help: "Do not roll back automatically when a rollout fails.") var noAutoRollback = false
        @Flag(name: .long, help: "A path that renders no objects is valid (else an error).") var allowEmpty = false
        @Option(name: .long, help: "Time between scheduled reconciles.") var interval = TimeLimit(argument: "1m")!
        @Option(name: .long, help: "History entries kept (default \(Application.defaultHistoryLimit)).")
        var historyLimit: Int?
        @OptionGroup var home: HomeOptions

        func run() async throws {
            try await reportingFailures {
                let application = Application(
                    name: name, repository: repo, revision: revision, path: path,
                    destination: .init(namespace: namespace),
                    syncPolicy: .init(
                        automated: !manual, selfHeal: selfHeal, prune: prune, autoRollback: !noAutoRollback,
                        intervalSeconds: interval.seconds, allowEmpty: allowEmpty), historyLimit: historyLimit)
                try ApplicationStore(home: home.folder).add(application)
                print("application \"\(name)\" added")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the applications.")

        @Option(name: .shortAndLong, help: "table or json.") var output: RenderCommand.OutputFormat = .table
        @OptionGroup var home: HomeOptions

        func run() async throws {
            try await reportingFailures {
                let applications = try ApplicationStore(home: home.folder).applications()
                switch output {
                case .json:
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    print(String(decoding: try encoder.encode(applications.map(\.redacted)), as: UTF8.self))
                case .table:
                    guard !applications.isEmpty else { return print("no applications; add one with `keelson app add`") }
                    print(
                        Narration.table(
                            [["NAME", "REPOSITORY", "REVISION", "PATH", "NAMESPACE", "SYNC", "INTERVAL"]]
                                + applications.map { app in
                                    [
                                        app.name, app.shownRepository, app.revision, app.path.isEmpty ? "." : app.path,
                                        app.destination.namespace, AppCommand.policy(app.syncPolicy),
                                        "\(app.syncPolicy.intervalSeconds)s",
                                    ]
                                }))
                }
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an application's settings.")

        @Argument(help: "The application.") var name: String
        @Option(name: .long, help: "The repository.") var repo: String?
        @Option(name: .long, help: "The folder inside the repository.") var path: String?
        @Option(name: .long, help: "Branch, tag or commit SHA.") var revision: String?
        @Option(name: .long, help: "The namespace.") var namespace: String?
        @Option(name: .long, help: "automated or manual.") var sync: SyncMode?
        @Flag(inversion: .prefixedNo, help: "Undo live changes made behind Keelson's back.") var selfHeal: Bool?
        @Flag(inversion: .prefixedNo, help: "Delete live objects removed from git.") var prune: Bool?
        @Flag(inversion: .prefixedNo, help: "Roll back automatically when a rollout fails.") var autoRollback: Bool?
        @Flag(inversion: .prefixedNo, help: "A path that renders no objects is valid.") var allowEmpty: Bool?
        @Option(name: .long, help: "Time between scheduled reconciles.") var interval: TimeLimit?
        @Option(name: .long, help: "History entries kept (default \(Application.defaultHistoryLimit)).")
        var historyLimit: Int?
        @OptionGroup var home: HomeOptions

        enum SyncMode: String, ExpressibleByArgument, CaseIterable { case automated, manual }

        func run() async throws {
            try await reportingFailures {
                try ApplicationStore(home: home.folder).update(name) { app in
                    if let repo { app.repository = repo }
                    if let path { app.path = path }
                    if let revision { app.revision = revision }
                    if let namespace { app.destination.namespace = namespace }
                    if let sync { app.syncPolicy.automated = sync == .automated }
                    if let selfHeal { app.syncPolicy.selfHeal = selfHeal }
                    if let prune { app.syncPolicy.prune = prune }
                    if let autoRollback { app.syncPolicy.autoRollback = autoRollback }
                    if let allowEmpty { app.syncPolicy.allowEmpty = allowEmpty }
                    if let interval { app.syncPolicy.intervalSeconds = interval.seconds }
                    if let historyLimit { app.historyLimit = historyLimit }
                }
                print("application \"\(name)\" updated")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget an application (its live objects stay where they are).")

        @Argument(help: "The application.") var name: String
        @OptionGroup var home: HomeOptions

        func run() async throws {
            try await reportingFailures {
                try ApplicationStore(home: home.folder).remove(name)
                print("application \"\(name)\" removed")
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or replace applications from Argo CD Application manifests.",
            discussion: "Fields Keelson does not use are listed on stderr; none is dropped silently.")

        @Option(name: .shortAndLong, help: "A file or folder of Argo CD Application manifests.") var filename: String
        @OptionGroup var home: HomeOptions

        func run() async throws {
            try await reportingFailures {
                let result = try ArgoApplicationImport.read(try RenderCommand.localFiles(filename))
                for notice in result.notices { printError("notice: \(notice)") }
                let created = try ApplicationStore(home: home.folder).put(result.applications)
                for (application, isNew) in zip(result.applications, created) {
                    print("application \"\(application.name)\" \(isNew ? "created" : "configured")")
                }
            }
        }
    }

    static func policy(_ policy: Application.SyncPolicy) -> String {
        var words = [policy.automated ? "automated" : "manual"]
        if policy.selfHeal { words.append("self-heal") }
        if policy.prune { words.append("prune") }
        if !policy.autoRollback { words.append("no-auto-rollback") }
        if policy.allowEmpty { words.append("allow-empty") }
        return words.joined(separator: ",")
    }
}
