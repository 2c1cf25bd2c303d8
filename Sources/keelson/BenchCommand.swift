import ArgumentParser
import Foundation
import KeelsonBench
import KeelsonCore

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Keelson on a synthetic monorepo, each figure next to its floor (git, read, Yams).",
        discussion: """
            Generates apps/app-NNNN/ folders of Deployments in a bare repository (libgit2), served over file://, \
            and runs: cold start (cold), a no-op pass (noop), a one-file change through the daemon's webhook \
            (webhook), a 10% change until rolled out (tenth), the simulator rolling every Deployment to a new \
            image (simulator), and the no-op and webhook scenarios again at each --scaling size (scaling). Build with \
            `swift build -c release` for figures worth recording; see docs/performance.md.
            """)

    @Option(
        name: .long,
        help: "Scenarios to run, comma-separated: \(Bench.Scenario.allCases.map(\.rawValue).joined(separator: ",")).")
    var scenarios = Bench.Scenario.allCases.map(\.rawValue).joined(separator: ",")
    @Option(name: .long, help: "Applications in the monorepo.") var apps = 1000
    @Option(name: .long, help: "Deployments per application.") var deploymentsPerApp = 10
    @Option(name: .long, help: "Runs of each scenario (cold start and the 10% change run at most 3).") var repeats = 5
    @Option(name: .long, help: "App counts for the scaling scenarios, comma-separated (empty: none).")
    var scaling = "100,1000,5000"
    @Option(name: .long, help: "Deployments per application in the scaling runs.") var scalingDeploymentsPerApp = 1
    @Option(name: .long, help: "Keep repositories and homes here instead of a temporary folder.") var folder: String?
    @Flag(name: .long, help: "Print the measurements as JSON.") var json = false

    func run() async throws {
        try await reportingFailures {
            var configuration = Bench.Configuration()
            configuration.scenarios = Set(
                try scenarios.split(separator: ",").map { name in
                    guard let scenario = Bench.Scenario(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError(
                            "--scenarios: unknown scenario \"\(name)\"; expected some of "
                                + Bench.Scenario.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    return scenario
                })
            configuration.apps = apps
            configuration.deploymentsPerApp = deploymentsPerApp
            configuration.repeats = repeats
            configuration.scaling = try scaling.split(separator: ",").map {
                guard let count = Int($0.trimmingCharacters(in: .whitespaces)), count > 0 else {
                    throw ValidationError("--scaling: expected app counts such as 100,1000, found \"\(scaling)\"")
                }
                return count
            }
            configuration.scalingDeploymentsPerApp = scalingDeploymentsPerApp
            configuration.folder = folder
            let rows = try await Bench(configuration: configuration) { printError("bench: \($0)") }.run()
            if json { return print(try ReportOutput.json(rows)) }
            print(
                Narration.table(
                    [["SCENARIO", "MEDIAN", "P95", "CPU", "PEAK RSS", "FLOOR", "FLOOR MEDIAN", "RATIO"]]
                        + rows.map { row in
                            [
                                row.scenario, Self.time(row.keelson.medianWall), Self.time(row.keelson.p95Wall),
                                Self.time(row.keelson.medianCPU), String(format: "%.0f MiB", row.keelson.peakRSS),
                                row.floorName ?? "-", row.floor.map { Self.time($0.medianWall) } ?? "-",
                                row.ratio.map { String(format: "%.1f×", $0) } ?? "-",
                            ]
                        }))
        }
    }

    private static func time(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.2f s", seconds)
    }
}
