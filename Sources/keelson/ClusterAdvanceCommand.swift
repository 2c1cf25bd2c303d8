import ArgumentParser
import KeelsonKubernetes
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
        if maxSeconds <= 0 { throw ValidationError("--max-seconds must be positive, found \(maxSeconds)") }
    }

    func run() async throws {
        try await reportingFailures {
            let cluster = try options.open()
            var unsettledAfter: Int?
            let events: [Event]
            if let seconds {
                events = try await cluster.advance(seconds: seconds)
            } else {
                let settling = try await cluster.advanceUntilSettled(maxSeconds: maxSeconds)
                events = settling.events
                if !settling.settled { unsettledAfter = settling.seconds }
            }
            for event in events { print(event.clusterDescription) }
            let now = try await cluster.snapshot.now
            print("cluster time: \(now.clusterDescription)")
            if let unsettledAfter {
                printError("error: rollouts still running after \(unsettledAfter)s of simulated time")
                throw ExitCode(1)
            }
        }
    }
}
