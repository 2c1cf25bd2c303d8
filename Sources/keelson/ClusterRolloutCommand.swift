import ArgumentParser
import KeelsonKubernetes
import KeelsonSimulator

struct ClusterRolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout", abstract: "Follow or undo a Deployment's rollout.",
        subcommands: [Status.self, Undo.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the rollout's progress in kubectl's words until it finishes.",
            discussion: """
                Waiting lets simulated time pass, one second at a time, as the daemon would. Exit status: 0 rolled \
                out, 1 progress deadline exceeded or not finished within --timeout.
                """)

        @Argument(help: "The Deployment.")
        var deployment: String

        @Flag(name: .customLong("watch"), inversion: .prefixedNo, help: "Wait for the rollout to finish.")
        var watch = true

        @Option(name: .long, help: "Give up after this many simulated seconds.")
        var timeout = 600

        @OptionGroup var options: ClusterOptions

        func validate() throws {
            guard timeout > 0 else { throw ValidationError("--timeout must be positive, found \(timeout)") }
        }

        func run() async throws {
            try await reportingFailures {
                let cluster = try options.open()
                var last = ""
                for second in 0...timeout {
                    if second > 0 { try await cluster.advance(seconds: 1) }
                    guard let live = try await cluster.snapshot.deployment(deployment, namespace: options.namespace)
                    else {
                        throw SimulatorError.deploymentNotFound(namespace: options.namespace, name: deployment)
                    }
                    let status = RolloutStatusMessage(live)
                    if status.failed {
                        // As kubectl: progress on stdout, the failure on stderr.
                        printError("error: \(status.message)")
                        throw ExitCode(1)
                    }
                    if status.message != last { print(status.message) }
                    last = status.message
                    if status.done || !watch { return }
                }
                printError("error: timed out waiting for the condition")
                throw ExitCode(1)
            }
        }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Roll back to an earlier revision.")

        @Argument(help: "The Deployment.")
        var deployment: String

        @Option(name: .long, help: "The revision to return to (default: the previous one).")
        var toRevision: Int?

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            try await reportingFailures {
                let event = try await options.open().rollback(
                    deployment, namespace: options.namespace, toRevision: toRevision)
                print(event.type == "Warning" ? event.message : "deployment.apps/\(deployment) rolled back")
            }
        }
    }
}
