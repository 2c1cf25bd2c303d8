import ArgumentParser
import KeelsonSimulator

struct ClusterFaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault", abstract: "Make images misbehave, to rehearse failed rollouts.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make every pod running IMAGE misbehave.")

        @Argument(help: "An image reference, or a pattern such as 'registry.example.com/shop/api:2.*'.")
        var image: String

        @Option(name: .long, help: "never-ready, crash-loop, or slow-start=SECONDS.")
        var mode: FaultMode

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            try await reportingFailures {
                try await options.open().addFault(mode.fault, image: image)
                print("fault added: \(image) \(mode.argument)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the faults.")

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            try await reportingFailures {
                let faults = try await options.open().snapshot.faults.faultsByImage.sorted { $0.key < $1.key }
                if faults.isEmpty { print("no faults") }
                for (image, fault) in faults { print("\(image)  \(FaultMode(fault).argument)") }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the fault on IMAGE.")

        @Argument(help: "The image or pattern, as added.")
        var image: String

        @OptionGroup var options: ClusterOptions

        func run() async throws {
            try await reportingFailures {
                guard try await options.open().removeFault(image: image) else {
                    throw ValidationError("no fault on \(image); see `keelson cluster fault list`")
                }
                print("fault removed: \(image)")
            }
        }
    }
}

/// `never-ready`, `crash-loop` or `slow-start=SECONDS`.
struct FaultMode: ExpressibleByArgument {
    let fault: PodFault

    init(_ fault: PodFault) {
        self.fault = fault
    }

    init?(argument: String) {
        switch argument {
        case "never-ready": fault = .neverReady
        case "crash-loop": fault = .crashLoop
        default:
            guard argument.hasPrefix("slow-start="), let seconds = Int(argument.dropFirst("slow-start=".count)),
                seconds > 0
            else { return nil }
            fault = .slowStart(seconds: seconds)
        }
    }

    var argument: String {
        switch fault {
        case .neverReady: "never-ready"
        case .crashLoop: "crash-loop"
        case .slowStart(let seconds): "slow-start=\(seconds)"
        }
    }

    static var allValueStrings: [String] { ["never-ready", "crash-loop", "slow-start=SECONDS"] }
}
