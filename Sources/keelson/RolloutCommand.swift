import ArgumentParser
import Foundation
import KeelsonCore
import KeelsonKubernetes
import Synchronization

struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout", abstract: "Follow an application's rollouts.", subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per-Deployment progress of an application: updated, ready and available of desired.",
            discussion: """
                With --watch, follows until every Deployment has rolled out or failed (on the simulated cluster with \
                no daemon, by advancing its clock): redrawn in place on a terminal, a line per change otherwise. \
                Exit status: 0 rolled out, 1 a rollout failed or did not finish within --timeout.
                """)

        @Argument(help: "The application.") var application: String
        @Flag(name: .long, help: "Follow until the rollouts finish.") var watch = false
        @Option(name: .long, help: "How long --watch follows (simulated time on the simulated cluster).")
        var timeout = TimeLimit(argument: "10m")!
        @OptionGroup var home: HomeOptions

        func run() async throws {
            try await reportingFailures {
                let workspace = try Workspace(home)
                let driver = try workspace.driver(try workspace.store.application(application).destination)
                var statuses: [ObjectKey: RolloutStatus] = [:]
                for object in try await driver.liveObjects(of: application) { statuses[object.key] = object.rollout }
                let keys = statuses.keys.sorted { $0.description < $1.description }
                if keys.isEmpty { return print("\(application) has no Deployments live") }
                let printer = ProgressPrinter(keys: keys, terminal: isatty(STDOUT_FILENO) == 1)
                if watch {
                    statuses = try await driver.followRollouts(keys, limit: timeout.duration) { statuses in
                        printer.show(statuses)
                        return keys.allSatisfy { statuses[$0].map(RolloutVerdict.isSettled) ?? true }
                    }
                }
                printer.show(statuses, final: true)
                let failures = keys.compactMap { key in statuses[key].flatMap(RolloutVerdict.failure).map { (key, $0) }
                }
                for (key, failure) in failures { printError("error: \(key.name): \(failure)") }
                if !failures.isEmpty { throw ExitCode(1) }
                if watch, !keys.allSatisfy({ statuses[$0]?.phase == .complete }) {
                    printError("error: not rolled out within \(timeout.defaultValueDescription)")
                    throw ExitCode(1)
                }
            }
        }
    }
}

/// Prints rollout progress: on a terminal one line per Deployment, redrawn in place and paced so
/// people can follow simulated seconds; otherwise a plain line whenever a Deployment's counts change.
final class ProgressPrinter: Sendable {
    private let keys: [ObjectKey]
    private let terminal: Bool
    private let indent: String
    private let shown = Mutex<(lines: [ObjectKey: String], drawn: Bool)>(([:], false))

    init(keys: [ObjectKey], terminal: Bool, indent: String = "") {
        self.keys = keys
        self.terminal = terminal
        self.indent = indent
    }

    func show(_ statuses: [ObjectKey: RolloutStatus], final: Bool = false) {
        let width = keys.map(\.name.count).max() ?? 0
        shown.withLock { shown in
            let lines = keys.map { key in
                (key, statuses[key].map { indent + Self.line(key.name, $0, width: width) } ?? "")
            }
            if terminal {
                guard lines.contains(where: { shown.lines[$0.0] != $0.1 }) || final && !shown.drawn else { return }
                if shown.drawn { print("\u{1B}[\(keys.count)A", terminator: "") }
                for (_, line) in lines { print("\u{1B}[2K" + line) }
                shown.drawn = true
                fflush(nil)
                usleep(final ? 0 : 25_000)
            } else {
                for (key, line) in lines where shown.lines[key] != line { print(line) }
            }
            for (key, line) in lines { shown.lines[key] = line }
        }
    }

    private static func line(_ name: String, _ status: RolloutStatus, width: Int) -> String {
        let state: String
        if let failure = RolloutVerdict.failure(status) {
            state = Style.health(.degraded) + " " + failure
        } else {
            state = Style.health(RolloutVerdict.health(status))
        }
        let padded = name + String(repeating: " ", count: max(0, width - name.count))
        return
            "\(padded)  revision \(status.revision.map(String.init) ?? "-")  updated \(status.updated)/\(status.desired)  "
            + "ready \(status.ready)/\(status.desired)  available \(status.available)/\(status.desired)  \(state)"
    }
}
