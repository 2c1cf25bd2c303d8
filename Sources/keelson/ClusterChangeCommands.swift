import ArgumentParser
import KeelsonCore
import KeelsonManifests
import KeelsonSimulator

struct ClusterApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply manifests straight to the simulated cluster, as `kubectl apply -f`.")

    @Option(name: .shortAndLong, help: "A manifest file or folder.")
    var filename: String

    @Option(name: .long, help: "The application the objects are tracked to.")
    var application = "manual"

    @OptionGroup var options: ClusterOptions

    func run() async throws {
        try await reportingFailures {
            let rendered = try await RenderCommand.render(localPath: filename)
            let driver = SimulatedClusterDriver(cluster: try options.open())
            for applied in try await driver.apply(
                rendered.objects, for: application, namespace: options.namespace, fieldManager: "keelson-cli")
            {
                print(applied)
            }
        }
    }
}

struct ClusterScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Change a Deployment's replicas behind the reconciler's back.")

    @Argument(help: "deployment") var resource: DeploymentResource
    @Argument(help: "The Deployment.") var name: String
    @Option(name: .long, help: "The new replica count.") var replicas: Int
    @OptionGroup var options: ClusterOptions

    func validate() throws {
        guard replicas >= 0 else { throw ValidationError("--replicas must be 0 or more, found \(replicas)") }
    }

    func run() async throws {
        try await reportingFailures {
            try await options.open().scale(name, namespace: options.namespace, replicas: replicas)
            print("deployment.apps/\(name) scaled")
        }
    }
}

struct ClusterLabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Change a Deployment's labels behind the reconciler's back, as `kubectl label`.",
        discussion: "KEY=VALUE sets a label, KEY- removes it.")

    @Argument(help: "deployment") var resource: DeploymentResource
    @Argument(help: "The Deployment.") var name: String
    @Argument(help: "KEY=VALUE or KEY-.") var changes: [String]
    @OptionGroup var options: ClusterOptions

    func validate() throws {
        guard !changes.isEmpty else { throw ValidationError("name at least one KEY=VALUE or KEY-") }
        _ = try parsed()
    }

    func run() async throws {
        try await reportingFailures {
            try await options.open().label(name, namespace: options.namespace, try parsed())
            print("deployment.apps/\(name) labeled")
        }
    }

    private func parsed() throws -> [String: String?] {
        var labels: [String: String?] = [:]
        for change in changes {
            if change.hasSuffix("-"), !change.contains("=") {
                labels[String(change.dropLast())] = .some(nil)
            } else if let equals = change.firstIndex(of: "="), equals != change.startIndex {
                labels[String(change[..<equals])] = String(change[change.index(after: equals)...])
            } else {
                throw ValidationError("\(change): expected KEY=VALUE or KEY-")
            }
        }
        return labels
    }
}

struct ClusterSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change an image behind the reconciler's back.", subcommands: [Image.self])

    struct Image: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a container's image, as `kubectl set image`.")

        @Argument(help: "deployment") var resource: DeploymentResource
        @Argument(help: "The Deployment.") var name: String
        @Argument(help: "CONTAINER=IMAGE") var assignment: String
        @OptionGroup var options: ClusterOptions

        func run() async throws {
            try await reportingFailures {
                guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex,
                    assignment.index(after: equals) != assignment.endIndex
                else { throw ValidationError("expected CONTAINER=IMAGE, found \"\(assignment)\"") }
                try await options.open().setImage(
                    name, namespace: options.namespace, container: String(assignment[..<equals]),
                    image: String(assignment[assignment.index(after: equals)...]))
                print("deployment.apps/\(name) image updated")
            }
        }
    }
}

struct ClusterDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Kill a pod; its ReplicaSet replaces it on the next sync.")

    enum PodResource: String, ExpressibleByArgument, CaseIterable { case pod, pods, po }

    @Argument(help: "pod") var resource: PodResource
    @Argument(help: "The pod.") var name: String
    @OptionGroup var options: ClusterOptions

    func run() async throws {
        try await reportingFailures {
            try await options.open().killPod(name, namespace: options.namespace)
            print("pod \"\(name)\" deleted")
        }
    }
}

struct ClusterResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset", abstract: "Delete everything in the simulated cluster; its clock starts again.")

    @OptionGroup var options: ClusterOptions

    func run() async throws {
        try await reportingFailures {
            try await options.open().reset()
            print("cluster reset")
        }
    }
}

/// The `deployment` word of kubectl-shaped commands.
enum DeploymentResource: String, ExpressibleByArgument, CaseIterable {
    case deployment, deployments, deploy
}
