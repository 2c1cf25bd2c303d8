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
            image (simulator), and the no-op and webhook scenarios again at each --scaling size (scaling). The soak \
            scenario (soak, only when named) runs `keelson run` as a child process and pushes --pushes image bumps \
            to it one at a time, each by a signed webhook, reporting open files, memory, mirror packs, database \
            sizes and webhook-to-rollout latency as the run goes. Build with `swift build -c release` for figures \
            worth recording; see docs/performance.md.
            """)

    @Option(
        name: .long,
        help: "Scenarios to run, comma-separated: \(Bench.Scenario.allCases.map(\.rawValue).joined(separator: ",")).")
    var scenarios = Bench.Scenario.standard.map(\.rawValue).joined(separator: ",")
    @Option(name: .long, help: "Applications in the monorepo.") var apps = 1000
    @Option(name: .long, help: "Deployments per application.") var deploymentsPerApp = 10
    @Option(name: .long, help: "Runs of each scenario (cold start and the 10% change run at most 3).") var repeats = 5
    @Option(name: .long, help: "App counts for the scaling scenarios, comma-separated (empty: none).")
    var scaling = "100,1000,5000"
    @Option(name: .long, help: "Deployments per application in the scaling runs.") var scalingDeploymentsPerApp = 1
    @Option(name: .long, help: "Soak: pushes to the daemon.") var pushes = 2000
    @Option(name: .long, help: "Soak: applications in its repository.") var soakApps = 100
    @Option(name: .long, help: "Soak: Deployments per application.") var soakDeploymentsPerApp = 2
    @Option(name: .long, help: "Soak: the daemon's open-file limit (default: this process's).")
    var openFilesLimit: Int?
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
            if configuration.scenarios.contains(.soak) {
                guard pushes > 0, soakApps > 0, soakDeploymentsPerApp > 0 else {
                    throw ValidationError("--pushes, --soak-apps and --soak-deployments-per-app: expected at least 1")
                }
                var soak = SoakBench.Configuration(executable: try Executable.path())
                soak.pushes = pushes
                soak.apps = soakApps
                soak.deploymentsPerApp = soakDeploymentsPerApp
                soak.openFilesLimit = openFilesLimit
                soak.folder = folder
                let report = try await SoakBench(configuration: soak) { printError("bench: soak: \($0)") }.run()
                print(json ? try ReportOutput.json(report) : Self.table(report))
                configuration.scenarios.remove(.soak)
                if configuration.scenarios.isEmpty { return }
            }
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

    /// The soak's samples and latencies, as `keelson bench --scenarios soak` prints them.
    private static func table(_ report: SoakBench.Report) -> String {
        let limit = report.openFilesLimit.map { ", open-file limit \($0)" } ?? ""
        let samples = Narration.table(
            [
                [
                    "PUSHES", "OPEN FILES", "RSS", "ANON", "PACKS", "PACK SIZE", "LOOSE", "KEELSON.SQLITE",
                    "CLUSTER.SQLITE",
                ]
            ]
                + report.samples.map { sample in
                    [
                        "\(sample.pushes)", "\(sample.openFiles)", String(format: "%.1f MiB", sample.residentMiB),
                        String(format: "%.1f MiB", sample.anonymousResidentMiB),
                        "\(sample.packs)", String(format: "%.1f MiB", sample.packMiB), "\(sample.looseObjects)",
                        String(format: "%.1f MiB", sample.applicationsDatabaseMiB),
                        String(format: "%.1f MiB", sample.clusterDatabaseMiB),
                    ]
                })
        let latency = Narration.table(
            [["PUSHES", "WEBHOOK TO ROLLOUT MEDIAN", "P99"]]
                + report.latency.map {
                    [
                        "\($0.fromPush)-\($0.toPush)", String(format: "%.1f ms", $0.medianMilliseconds),
                        String(format: "%.1f ms", $0.p99Milliseconds),
                    ]
                })
        let daemon = report.daemonAlive ? "still running" : "exited"
        return [
            "soak: \(report.pushes) pushes to \(report.apps) apps × \(report.deploymentsPerApp) Deployments\(limit)",
            samples, "", latency, "",
            "refused pushes: \(report.refusedPushes), stalled: \(report.stalledPushes), daemon \(daemon)",
        ].joined(separator: "\n")
    }

    private static func time(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.2f s", seconds)
    }
}
