import ArgumentParser
import Foundation
import KeelsonCore
import KeelsonKubernetes

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Sync and health of all applications, or one in detail.",
        discussion: "Shows what the last reconcile found; `keelson reconcile` refreshes it.")

    @Argument(help: "One application to show in detail.") var application: String?
    @Option(name: .shortAndLong, help: "table or json.") var output: RenderCommand.OutputFormat = .table
    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            let store = try ApplicationStore(home: home.folder)
            let applications = try application.map { [try store.application($0)] } ?? store.applications()
            let rows = try applications.map { ApplicationView($0, status: try store.status(of: $0.name)) }
            switch output {
            case .json: print(try ReportOutput.json(application == nil ? AnyEncodable(rows) : AnyEncodable(rows[0])))
            case .table:
                if rows.isEmpty { return print("no applications; add one with `keelson app add`") }
                if application != nil { return print(Self.detail(rows[0])) }
                print(
                    Narration.table(
                        [["NAME", "SYNC", "HEALTH", "REVISION", "MESSAGE"]]
                            + rows.map { row in
                                [
                                    row.name + (row.status.suspended ? " (suspended)" : ""),
                                    Style.sync(row.status.sync),
                                    Style.health(row.status.health),
                                    Self.revision(row.status), row.status.message,
                                ]
                            }))
            }
        }
    }

    static func revision(_ status: ApplicationStatus) -> String {
        guard let applied = status.appliedCommit else { return "-" }
        return String(applied.prefix(7)) + (status.pin != nil ? " (pinned)" : "")
    }

    private static func detail(_ row: ApplicationView) -> String {
        let app = row.application
        let status = row.status
        var lines = [
            "Name:        \(Style.bold(app.name))",
            "Source:      \(app.shownRepository) \(app.revision) \(app.path.isEmpty ? "." : app.path)",
            "Destination: \(app.destination.driver), namespace \(app.destination.namespace)",
            "Policy:      \(AppCommand.policy(app.syncPolicy)), every \(app.syncPolicy.intervalSeconds)s"
                + (status.suspended ? ", suspended" : ""),
            "Sync:        \(Style.sync(status.sync)) to \(revision(status)); branch at \((status.branchCommit ?? "-").prefix(7))",
            "Health:      \(Style.health(status.health))",
            "Message:     \(status.message)",
            "Reconciled:  \(status.reconciledAt.map { $0.formatted(.iso8601) } ?? "never")",
        ]
        if !status.conditions.isEmpty {
            lines.append("Conditions:")
            lines += status.conditions.map { "  \($0.type): \($0.message)" }
        }
        if !status.resources.isEmpty {
            lines.append("Resources:")
            lines.append(
                Narration.table(
                    [["KIND", "NAMESPACE", "NAME", "SYNC", "HEALTH", "MESSAGE"]]
                        + status.resources.map { resource in
                            [
                                resource.key.kind, resource.key.namespace ?? "-", resource.key.name,
                                Style.sync(resource.sync), Style.health(resource.health), resource.message,
                            ]
                        }, indent: "  "))
        }
        return lines.joined(separator: "\n")
    }
}

/// Lets one `-o json` print either a list or a single object.
struct AnyEncodable: Encodable {
    private let encode: (any Encoder) throws -> Void

    init(_ value: some Encodable) {
        encode = value.encode(to:)
    }

    func encode(to encoder: any Encoder) throws { try encode(encoder) }
}
