import ArgumentParser
import KeelsonKubernetes
import KeelsonSimulator

struct ClusterGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "List deployments, replicasets, pods or events, as `kubectl get` does.")

    enum Resource: String, ExpressibleByArgument, CaseIterable {
        case deployments, replicasets, pods, events
        case deployment, replicaset, pod, event, deploy, rs, po, ev

        var plural: Resource {
            switch self {
            case .deployment, .deploy: .deployments
            case .replicaset, .rs: .replicasets
            case .pod, .po: .pods
            case .event, .ev: .events
            default: self
            }
        }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, yaml
    }

    @Argument(help: "deployments, replicasets, pods or events.")
    var resource: Resource

    @Argument(help: "One object's name.")
    var name: String?

    @Option(name: .shortAndLong, help: "table, json or yaml.")
    var output: Format = .table

    @OptionGroup var options: ClusterOptions

    func run() async throws {
        try await reportingFailures {
            let simulated = try options.open()
            let cluster = try await simulated.snapshot
            let namespace = options.namespace
            let table: KubectlTable
            var items: [(name: String, json: JSONValue)]
            switch resource.plural {
            case .replicasets:
                let sets = cluster.replicaSets.filter { $0.namespace == namespace && (name == nil || $0.name == name) }
                table = .replicaSets(sets, now: cluster.now)
                items = sets.map { ($0.name, $0.json) }
            case .pods:
                let pods = cluster.pods.filter { $0.namespace == namespace && (name == nil || $0.name == name) }
                table = .pods(pods, now: cluster.now)
                items = pods.map { ($0.name, $0.json) }
            case .events:
                let events = try await simulated.events(limit: 500).filter {
                    $0.involvedObject.namespace == namespace && (name == nil || $0.involvedObject.name == name)
                }
                table = .events(events, now: cluster.now)
                items = events.map { ($0.involvedObject.name, $0.json) }
            default:
                let deployments = cluster.deployments.filter {
                    $0.namespace == namespace && (name == nil || $0.name == name)
                }
                table = .deployments(deployments, now: cluster.now)
                items = deployments.map { ($0.name, $0.json) }
            }
            if let name, items.isEmpty, resource.plural != .events {
                throw ValidationError(
                    "\(resource.plural.rawValue.dropLast()) \"\(name)\" not found in namespace \"\(namespace)\"")
            }
            let single = name != nil && resource.plural != .events ? items.first?.json : nil
            switch output {
            case .table:
                print(
                    items.isEmpty ? "No resources found in \(namespace) namespace.\n" : table.rendered, terminator: "")
            case .json: print((single ?? KubectlObjects.list(items.map(\.json))).prettyJSON())
            case .yaml: print(KubectlYAML.render(single ?? KubectlObjects.list(items.map(\.json))), terminator: "")
            }
        }
    }
}
