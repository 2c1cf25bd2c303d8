import ArgumentParser
import KeelsonSimulator

struct ClusterAdvanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance", abstract: "Let simulated time pass: the controllers sync once per second.")

    @Option(name: .long, help: "Seconds to let pass.")
    var seconds: Int?

    @Flag(name: .long, help: "Until every Deployment has rolled out, failed its progress deadline, or is paused.")
    var untilSettled = false

    @Option(name: .long, help: "With --until-settled: stop after this many seconds.")
    var maxSeconds = 3600

    @OptionGroup var options: ClusterOptions

    func validate() throws {
        guard (seconds != nil) != untilSettled else { throw ValidationError("give --seconds N or --until-settled") }
        if let seconds, seconds <= 0 { throw ValidationError("--seconds must be positive, found \(seconds)") }
    }

    func run() async throws {
        try await reportingFailures {
            let cluster = try options.open()
            let events: [SimEvent]
            if let seconds {
                events = try await cluster.advance(seconds: seconds)
            } else {
                let settling = try await cluster.advanceUntilSettled(maxSeconds: maxSeconds)
                events = settling.events
                if !settling.settled {
                    printError("not settled after \(settling.seconds)s of simulated time")
                    throw ExitCode(1)
                }
            }
            for event in events { print(event) }
            print("cluster time: \(await cluster.snapshot.now)")
        }
    }
}
