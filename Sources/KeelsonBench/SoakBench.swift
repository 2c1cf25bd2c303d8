import Foundation
import KeelsonCore
import KeelsonGit

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `keelson bench --scenarios soak`: the real daemon (`keelson run`, a child process) under a
/// steady stream of pushes, as a user's CI drives it: one image-bump commit at a time, each
/// announced by a signed webhook and followed until its rollout started, with what the process
/// and its home hold measured along the way.
public struct SoakBench: Sendable {
    public struct Configuration: Sendable {
        public var pushes = 2000
        public var apps = 100
        public var deploymentsPerApp = 2
        /// The daemon's open-file limit (`ulimit -n`); its inherited one when nil.
        public var openFilesLimit: Int?
        /// The `keelson` executable the daemon runs.
        public var executable: String
        /// Where the repository and home are made (a temporary folder by default).
        public var folder: String?

        public init(executable: String) {
            self.executable = executable
        }
    }

    /// What the daemon and its home held after `pushes` pushes.
    public struct Sample: Codable, Sendable {
        public var pushes: Int
        public var openFiles: Int
        public var residentMiB: Double
        /// The part of ``residentMiB`` that no file backs (heap, stacks): the rest is the binary,
        /// its libraries and the mapped packs.
        public var anonymousResidentMiB: Double
        /// Pack files in the mirror, and their size.
        public var packs: Int
        public var packMiB: Double
        /// Loose objects in the mirror (each a file of its own).
        public var looseObjects: Int
        /// `keelson.sqlite` and `cluster.sqlite`, each with its WAL.
        public var applicationsDatabaseMiB: Double
        public var clusterDatabaseMiB: Double
    }

    /// Webhook-to-rollout latency over a run of pushes, in milliseconds.
    public struct Latency: Codable, Sendable {
        public var fromPush: Int
        public var toPush: Int
        public var medianMilliseconds: Double
        public var p99Milliseconds: Double
    }

    public struct Report: Codable, Sendable {
        public var pushes: Int
        public var apps: Int
        public var deploymentsPerApp: Int
        public var openFilesLimit: Int?
        /// After the daemon's first pass, then every tenth of the run; the second one ends warm-up.
        public var samples: [Sample]
        /// The first tenth of pushes after warm-up, and the last tenth.
        public var latency: [Latency]
        /// Pushes the daemon did not answer 202.
        public var refusedPushes: Int
        /// Pushes whose rollout had not started 60 s after the webhook.
        public var stalledPushes: Int
        /// The daemon still ran at the end.
        public var daemonAlive: Bool
    }

    public let configuration: Configuration
    public let say: @Sendable (String) -> Void
    private let secret = "soak-secret"

    public init(configuration: Configuration, say: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.say = say
    }

    public func run() async throws -> Report {
        let folder = configuration.folder ?? NSTemporaryDirectory() + "keelson-soak-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if configuration.folder == nil { try? FileManager.default.removeItem(atPath: folder) } }
        let apps = configuration.apps
        say("generating \(apps) apps × \(configuration.deploymentsPerApp) Deployments")
        let repository = (folder as NSString).appendingPathComponent("soak.git")
        try? FileManager.default.removeItem(atPath: repository)
        let monorepo = try SyntheticMonorepo(
            at: repository, apps: apps, deploymentsPerApp: configuration.deploymentsPerApp)
        let home = (folder as NSString).appendingPathComponent("soak-home")
        try? FileManager.default.removeItem(atPath: home)
        let store = try ApplicationStore(home: home)
        try store.put(
            monorepo.names.map {
                Application(
                    name: $0, repository: monorepo.writer.url, path: "apps/\($0)",
                    syncPolicy: .init(intervalSeconds: 3600))
            })
        let daemon = try DaemonChild(
            executable: configuration.executable, home: home, secret: secret,
            openFilesLimit: configuration.openFilesLimit)
        defer { daemon.stop() }
        say("daemon \(daemon.pid) on \(daemon.address): waiting for its first pass")
        try await daemon.waitUntilReady()

        let push = SignedPush(repositoryURL: monorepo.writer.url, secret: secret)
        let pushes = configuration.pushes
        let tenth = max(1, pushes / 10)
        var samples = [Self.sample(daemon, home: home, after: 0)]
        var latencies: [Double] = []
        var refused = 0
        var stalled = 0
        for index in 1...max(1, pushes) {
            // As a git host does between pushes: libgit2 writes each commit's objects loose, and
            // serving a fetch from tens of thousands of loose files would be the bottleneck.
            if index % 50 == 0 { try Floors.git(["-C", repository, "repack", "--geometric=2", "-d", "-q"]) }
            let app = index % apps
            // A second apart, after the first commit, whatever the pace of the run.
            let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
            let commit = try monorepo.bumpImages(of: [app], to: "soak.\(index)", at: date).hex
            let started = ContinuousClock.now
            do {
                try await push.post(commit: commit, path: SyntheticMonorepo.deploymentPath(app, 0), to: daemon.address)
            } catch {
                refused += 1
                continue
            }
            let name = SyntheticMonorepo.name(app)
            while (try? store.history(of: name, limit: 1).first?.revision) != commit {
                if ContinuousClock.now - started > .seconds(60) {
                    stalled += 1
                    break
                }
                try await Task.sleep(for: .milliseconds(1))
            }
            latencies.append(Measurement.seconds(ContinuousClock.now - started) * 1000)
            if index % tenth == 0 || index == pushes {
                samples.append(Self.sample(daemon, home: home, after: index))
                say("\(index) pushes: \(samples.last!.openFiles) files open, \(Int(samples.last!.residentMiB)) MiB")
            }
        }
        let window = max(1, latencies.count / 10)
        return Report(
            pushes: pushes, apps: apps, deploymentsPerApp: configuration.deploymentsPerApp,
            openFilesLimit: configuration.openFilesLimit, samples: samples,
            latency: [
                Self.latency(latencies, from: tenth, count: window),
                Self.latency(latencies, from: latencies.count - window, count: window),
            ],
            refusedPushes: refused, stalledPushes: stalled, daemonAlive: daemon.isRunning)
    }

    private static func latency(_ all: [Double], from start: Int, count: Int) -> Latency {
        let start = max(0, min(start, all.count - count))
        let run = Array(all[start..<min(all.count, start + count)])
        return Latency(
            fromPush: start + 1, toPush: start + run.count, medianMilliseconds: Measurement.percentile(run, 0.5),
            p99Milliseconds: Measurement.percentile(run, 0.99))
    }

    private static func sample(_ daemon: DaemonChild, home: String, after pushes: Int) -> Sample {
        let files = FileManager.default
        let mirrors = (home as NSString).appendingPathComponent("mirrors")
        var packs = 0
        var packBytes = 0.0
        var looseObjects = 0
        for mirror in (try? files.contentsOfDirectory(atPath: mirrors)) ?? [] {
            let objects = "\(mirrors)/\(mirror)/objects"
            for file in (try? files.contentsOfDirectory(atPath: objects + "/pack")) ?? [] where file.hasSuffix(".pack")
            {
                packs += 1
                packBytes += size("\(objects)/pack/\(file)")
            }
            for prefix in (try? files.contentsOfDirectory(atPath: objects)) ?? [] where prefix.count == 2 {
                looseObjects += (try? files.contentsOfDirectory(atPath: "\(objects)/\(prefix)"))?.count ?? 0
            }
        }
        func database(_ name: String) -> Double {
            let path = (home as NSString).appendingPathComponent(name)
            return (size(path) + size(path + "-wal")) / 1_048_576
        }
        return Sample(
            pushes: pushes, openFiles: daemon.openFiles, residentMiB: daemon.resident("VmRSS"),
            anonymousResidentMiB: daemon.resident("RssAnon"), packs: packs,
            packMiB: packBytes / 1_048_576, looseObjects: looseObjects,
            applicationsDatabaseMiB: database("keelson.sqlite"),
            clusterDatabaseMiB: database("cluster.sqlite"))
    }

    private static func size(_ path: String) -> Double {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.doubleValue ?? 0
    }
}

/// `keelson run` on a home, as a child process on a free loopback port, with the simulated clock
/// at 50× so that rollouts finish between pushes.
private final class DaemonChild {
    let pid: Int32
    let address: String
    private let process: Process

    init(executable: String, home: String, secret: String, openFilesLimit: Int?) throws {
        let secretFile = (home as NSString).appendingPathComponent("webhook-secret")
        try Data(secret.utf8).write(to: URL(fileURLWithPath: secretFile))
        let process = Process()
        let arguments = ["run", "--listen", "127.0.0.1:0", "--webhook-secret-file", secretFile, "--sim-speed", "50"]
        if let openFilesLimit {
            // The shell lowers its own soft limit, which the daemon it becomes keeps. (Lowering this
            // process's limit around the spawn failed once this process held more files.)
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -S -n \(openFilesLimit) && exec \"$0\" \"$@\"", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(["KEELSON_HOME": home]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        let log = (home as NSString).appendingPathComponent("daemon.log")
        guard FileManager.default.createFile(atPath: log, contents: nil) else {
            throw BenchError("cannot create the daemon's log \(log)")
        }
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        self.process = process
        pid = process.processIdentifier
        // `keelson … listening on http://127.0.0.1:PORT`
        var line = ""
        while !line.contains(" listening on http://") {
            var bytes = Data()
            while bytes.last != UInt8(ascii: "\n") {
                let byte = output.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty { throw BenchError("keelson run exited before it listened") }
                bytes.append(byte)
            }
            line = String(decoding: bytes, as: UTF8.self)
        }
        let url = line.split(separator: " ").last ?? ""
        address = String(url.dropFirst("http://".count).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Waits until `/readyz` answers 200: the daemon's first pass over every application is done.
    func waitUntilReady() async throws {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(600) {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://\(address)/readyz")!),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            guard process.isRunning else { throw BenchError("keelson run exited before it was ready") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("keelson run was not ready within 10 minutes")
    }

    var isRunning: Bool { process.isRunning }

    var openFiles: Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0 }

    /// A resident-memory field of `/proc/<pid>/status` (`VmRSS`, `RssAnon`, …), in MiB.
    func resident(_ field: String) -> Double {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        return (line?.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0) / 1024
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
