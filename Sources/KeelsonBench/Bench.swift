import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonKubernetes
import KeelsonServer
import KeelsonSimulator
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `keelson bench`: Keelson on a synthetic monorepo, scenario by scenario, each next to the floor
/// the plainest tools set on the same repository in the same run.
public struct Bench: Sendable {
    /// The scenarios, by the names `--scenarios` takes. `soak` is ``SoakBench``'s.
    public enum Scenario: String, CaseIterable, Sendable {
        case cold, noop, webhook, tenth, simulator, scaling, soak

        /// What runs when none is named: all but the soak, which takes its own long run.
        public static let standard = allCases.filter { $0 != .soak }
    }

    public struct Configuration: Sendable {
        /// Which scenarios run (the environment the others need is set up regardless).
        public var scenarios = Set(Scenario.standard)
        public var apps = 1000
        public var deploymentsPerApp = 10
        public var repeats = 5
        /// App counts for the scaling scenarios (no-op pass and one-file change).
        public var scaling = [100, 1000, 5000]
        /// Deployments per app in the scaling runs.
        public var scalingDeploymentsPerApp = 1
        /// Where repositories and homes are made (a temporary folder by default).
        public var folder: String?

        public init() {}
    }

    /// One line of the report: a Keelson figure and the floor it is compared with.
    public struct Row: Codable, Sendable {
        public var scenario: String
        public var keelson: Measurement
        public var floor: Measurement?
        public var floorName: String?

        public var ratio: Double? { floor.map { keelson.medianWall / max($0.medianWall, 1e-9) } }
    }

    public let configuration: Configuration
    /// Progress lines, for people watching.
    public let say: @Sendable (String) -> Void

    public init(configuration: Configuration, say: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.say = say
    }

    /// Runs the chosen scenarios and returns the rows.
    public func run() async throws -> [Row] {
        let folder = configuration.folder ?? NSTemporaryDirectory() + "keelson-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if configuration.folder == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let chosen = configuration.scenarios
        var rows: [Row] = []
        if !chosen.subtracting([.scaling, .soak]).isEmpty {
            rows += try await mainRows(folder: folder)
        }
        if chosen.contains(.scaling) {
            for count in configuration.scaling {
                say("5. scaling at \(count) apps × \(configuration.scalingDeploymentsPerApp)")
                rows += try await scalingRows(apps: count, folder: folder)
            }
        }
        return rows
    }

    /// Scenarios 1–4 and the simulator's own, on the `apps` × `deploymentsPerApp` monorepo.
    private func mainRows(folder: String) async throws -> [Row] {
        let chosen = configuration.scenarios
        let n = configuration.apps
        let m = configuration.deploymentsPerApp
        say("generating \(n) apps × \(m) Deployments")
        let repository = (folder as NSString).appendingPathComponent("monorepo-\(n)x\(m).git")
        let monorepo = try SyntheticMonorepo(at: repository, apps: n, deploymentsPerApp: m)
        let floors = Floors(repository: repository, folder: folder)
        var rows: [Row] = []

        say("floors: git clone, git fetch, read, Yams")
        let clone = try await floors.clone(repeats: min(configuration.repeats, 3))
        let noOpFetch = try await floors.noOpFetch(repeats: configuration.repeats)
        let (read, parse) = try await floors.readAndParse(repeats: min(configuration.repeats, 3))

        var environment: BenchEnvironment?
        if chosen.contains(.cold) {
            say("1. cold start")
            let coldFloor = Measurement(
                name: "clone + read + parse",
                samples: [
                    .init(
                        wallSeconds: clone.medianWall + read.medianWall + parse.medianWall,
                        cpuSeconds: clone.medianCPU + read.medianCPU + parse.medianCPU, peakRSSMiB: 0)
                ])
            let cold = try await Measurement.measure(
                "cold start: clone, render, apply, settle \(n * m) Deployments",
                repeats: min(configuration.repeats, 3),
                prepare: {
                    // As a fresh process would: the previous repeat's heap is not this one's.
                    environment = nil
                    Measurement.trimHeap()
                    environment = try BenchEnvironment(monorepo, in: folder)
                }
            ) {
                try await environment!.passOverEveryApplication()
                try await environment!.settle()
            }
            rows.append(Row(scenario: cold.name, keelson: cold, floor: coldFloor, floorName: coldFloor.name))
        } else {
            say("setting up (cold start not measured)")
            environment = try BenchEnvironment(monorepo, in: folder)
            try await environment!.passOverEveryApplication()
            try await environment!.settle()
        }
        guard let environment else { throw BenchError("no environment") }
        // A second pass records the finished rollouts, as the daemon's next pass would.
        try await environment.passOverEveryApplication()

        if chosen.contains(.noop) {
            say("2. no-op pass")
            let noOp = try await Measurement.measure(
                "no-op pass over \(n) apps (\(n * m) Deployments)", repeats: configuration.repeats
            ) { try await environment.passOverEveryApplication() }
            rows.append(Row(scenario: noOp.name, keelson: noOp, floor: noOpFetch, floorName: noOpFetch.name))
        }

        if chosen.contains(.webhook) {
            say("3. one-file change through the webhook")
            let (webhook, fetch) = try await WebhookScenario(environment: environment, folder: folder)
                .measure(repeats: configuration.repeats)
            rows.append(Row(scenario: webhook.name, keelson: webhook, floor: fetch, floorName: fetch.name))
            // Let the rollouts the webhook started finish, and be recorded, before the next scenario.
            try await environment.settle()
            try await environment.passOverEveryApplication()
        }

        if chosen.contains(.tenth) {
            say("4. 10% change")
            var tag = 0
            let changed = Array(stride(from: 0, to: n, by: 10))
            let tenth = try await Measurement.measure(
                "\(changed.count) apps bumped in one commit, until rolled out", repeats: min(configuration.repeats, 3),
                prepare: {
                    tag += 1
                    try monorepo.bumpImages(of: changed, to: "2.\(tag).0")
                }
            ) {
                try await environment.passOverEveryApplication()
                try await environment.settle()
            }
            rows.append(
                Row(scenario: tenth.name, keelson: tenth, floor: parse, floorName: "Yams over all \(n * m) files"))
        }

        if chosen.contains(.simulator) {
            say("6. the simulator alone: every Deployment to a new image")
            // Last: it leaves the cluster drifted from git.
            let rollout = try await simulatorRollout(environment)
            rows.append(Row(scenario: rollout.name, keelson: rollout))
        }
        return rows
    }

    /// Every Deployment of the cluster set to a new image in one change (as `kubectl set image`
    /// would), then the simulated clock run until every rollout completed.
    private func simulatorRollout(_ environment: BenchEnvironment) async throws -> Measurement {
        let deployments = try await environment.cluster.snapshot.deployments
        let replicas = deployments.map(\.spec.replicas).reduce(0, +)
        var round = 0
        return try await Measurement.measure(
            "simulator: \(deployments.count) Deployments (\(replicas) pods) rolled to a new image",
            repeats: min(configuration.repeats, 3)
        ) {
            round += 1
            try await environment.cluster.setImages(
                deployments.map { deployment in
                    SimulatedCluster.ImageChange(
                        deployment: deployment.name, namespace: deployment.namespace, container: "main",
                        image: "registry.example.com/\(deployment.name):sim-\(round)")
                })
            try await environment.settle()
        }
    }

    /// Scenarios 2 and 3 at `apps` applications.
    private func scalingRows(apps: Int, folder: String) async throws -> [Row] {
        let m = configuration.scalingDeploymentsPerApp
        let repository = (folder as NSString).appendingPathComponent("monorepo-\(apps)x\(m).git")
        let monorepo = try SyntheticMonorepo(at: repository, apps: apps, deploymentsPerApp: m)
        let environment = try BenchEnvironment(monorepo, in: folder, name: "home-\(apps)x\(m)")
        try await environment.passOverEveryApplication()
        try await environment.settle()
        try await environment.passOverEveryApplication()
        let noOp = try await Measurement.measure(
            "scaling: no-op pass, \(apps) apps × \(m)", repeats: configuration.repeats
        ) {
            try await environment.passOverEveryApplication()
        }
        var (webhook, fetch) = try await WebhookScenario(environment: environment, folder: folder)
            .measure(repeats: configuration.repeats)
        webhook.name = "scaling: one-file change via webhook, \(apps) apps × \(m)"
        return [
            Row(scenario: noOp.name, keelson: noOp),
            Row(scenario: webhook.name, keelson: webhook, floor: fetch, floorName: fetch.name),
        ]
    }
}

/// Scenario 3: a commit to one application, announced by a signed GitHub push to an in-process
/// daemon, timed from the request until the rollout has started (its history entry exists); with
/// its floor, the git CLI fetching such a commit.
struct WebhookScenario {
    let environment: BenchEnvironment
    let folder: String
    private let secret = "bench-secret"

    func measure(repeats: Int) async throws -> (keelson: Measurement, floor: Measurement) {
        let monorepo = environment.monorepo
        let app = monorepo.apps / 2
        let floor = try await Floors.fetchOfOneCommit(monorepo, app: app, folder: folder, repeats: repeats)
        var settings = Daemon.Settings()
        settings.port = 0
        settings.webhookSecret = Secret(secret)
        settings.scheduler.interval = .seconds(3600)
        let driver = environment.driver
        let daemon = Daemon(
            settings: settings, reconciler: environment.reconciler, drivers: { _ in driver },
            logger: Logger(label: "keelson-bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let (addresses, continuation) = AsyncStream.makeStream(of: String.self)
        let task = Task { try await daemon.run { continuation.yield($0) } }
        defer { task.cancel() }
        var iterator = addresses.makeAsyncIterator()
        guard let address = await iterator.next() else { throw BenchError("the daemon did not start") }
        // Measure the steady state: after the daemon's first pass over every application.
        while try await URLSession.shared.data(from: URL(string: "http://\(address)/readyz")!).1
            .isStatus(503)
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        var round = 0
        var commit = ""
        let name = SyntheticMonorepo.name(app)
        let keelson = try await Measurement.measure(
            "one-file change: webhook to rollout started (\(monorepo.apps) apps)", repeats: repeats,
            prepare: {
                round += 1
                commit = try monorepo.bumpImages(of: [app], to: "3.\(round).0").hex
            }
        ) {
            try await SignedPush(repositoryURL: monorepo.writer.url, secret: secret)
                .post(commit: commit, path: SyntheticMonorepo.deploymentPath(app, 0), to: address)
            while try environment.store.history(of: name, limit: 1).first?.revision != commit {
                try await Task.sleep(for: .microseconds(200))
            }
        }
        return (keelson, floor)
    }
}

extension URLResponse {
    fileprivate func isStatus(_ code: Int) -> Bool { (self as? HTTPURLResponse)?.statusCode == code }
}
