import Foundation
import KeelsonCore
import KeelsonTestSupport
import Testing

/// `kill -9` at many points of rollouts, good and failing: once Keelson has run again, history
/// has no Running entry left, no commit deployed twice, every failed release rolled back, and
/// the status says what is live.
@Suite(.serialized) struct CrashSafetyTests {
    /// How many kill points each test visits.
    static let killPoints = 24
    /// How many times the daemon is killed: each costs two starts of it.
    static let daemonKillPoints = 12

    /// A scenario with `web` deployed at 1.0, and pods of any `*-broken` image crash-looping, one of
    /// which was rolled back already.
    private func deployed() async throws -> GitOpsScenario {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0", replicas: 3)
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        let fault = try await scenario.keelson(
            "cluster", "fault", "add", "registry.example.com/web:*-broken", "--mode", "crash-loop")
        #expect(fault.status == 0, "\(fault.stderr)")
        // The first failing release, uninterrupted: rolled back to 1.0.
        try scenario.writeDeployment("web", app: "web", image: "1.1-broken", replicas: 3)
        try await scenario.push("web 1.1-broken")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 1)
        try await Expectation(goodImage: "1.0").check(scenario, lastCommitBroken: true)
        return scenario
    }

    /// When a kill comes, counted from the moment a deployment (or its rollback) is first on record.
    static let delays: [Duration] = [0, 1, 2, 4, 8, 15].map { .milliseconds($0) }

    @Test func killingReconcileWaitAtAnyPointLosesNothing() async throws {
        let scenario = try await deployed()
        let store = try ApplicationStore(home: scenario.home.path)
        var expected = Expectation(goodImage: "1.0")
        var killedAt: [Stage: Int] = [:]
        for point in 0..<Self.killPoints {
            // Even points are failing releases, killed while they roll out or while they are rolled
            // back; odd points are good ones. Each at every delay.
            let broken = point % 2 == 0
            let image = "2.\(point)" + (broken ? "-broken" : "")
            try scenario.writeDeployment("web", app: "web", image: image, replicas: 3)
            let commit = try await scenario.push("web \(image)")
            let duringRollback = broken && point / 2 % 2 == 1
            let delay = Self.delays[(broken ? point / 4 : point / 2) % Self.delays.count]
            try await KeelsonCLI.killed(["reconcile", "--wait"], home: scenario.home.path, after: delay) {
                let newest = try store.history(of: "web", limit: 2)
                return duringRollback
                    ? newest.first?.initiator == .autoRollback && newest.last?.revision == commit
                    : newest.contains { $0.revision == commit }
            }
            let stage = try await Self.stage(scenario, commit: commit)
            killedAt[stage, default: 0] += 1
            let recovery = try await scenario.keelson("reconcile", "--wait")
            #expect(recovery.status == (broken ? 1 : 0) || recovery.status == 0, "\(recovery.stderr)")
            if !broken { expected.goodImage = image }
            try await expected.check(scenario, lastCommitBroken: broken, commit: commit, point: point)
        }
        print("kill points by stage: \(killedAt.sorted { $0.key.rawValue < $1.key.rawValue })")
        // The kills must land inside deployments, not only after them.
        #expect(killedAt[.deploying, default: 0] >= Self.killPoints / 2, "\(killedAt)")
    }

    @Test func killingTheDaemonAtAnyPointLosesNothing() async throws {
        let scenario = try await deployed()
        let store = try ApplicationStore(home: scenario.home.path)
        var expected = Expectation(goodImage: "1.0")
        var killedAt: [Stage: Int] = [:]
        // The daemon runs the cluster's clock 20 times faster than real time: a rollout takes
        // a few hundred milliseconds, and the kills come 0 to 600 ms after it went on record.
        let arguments = ["--interval", "1s", "--sim-speed", "20"]
        for point in 0..<Self.daemonKillPoints {
            let broken = point % 2 == 0
            let image = "3.\(point)" + (broken ? "-broken" : "")
            try scenario.writeDeployment("web", app: "web", image: image, replicas: 3)
            let commit = try await scenario.push("web \(image)")
            let daemon = try DaemonProcess(home: scenario.home.path, arguments: arguments)
            let recorded = try await daemon.eventually {
                try store.history(of: "web", limit: 2).contains { $0.revision == commit }
            }
            #expect(recorded, "kill point \(point): the daemon did not deploy \(commit)")
            try await Task.sleep(for: .milliseconds(100 * (point / 2)))
            try await daemon.crash()
            killedAt[try await Self.stage(scenario, commit: commit), default: 0] += 1

            let restarted = try DaemonProcess(home: scenario.home.path, arguments: arguments)
            let converged = try await restarted.eventually {
                let newest = try store.history(of: "web", limit: 3)
                guard !newest.contains(where: { $0.outcome == .running }) else { return false }
                return broken ? newest.first?.initiator == .autoRollback : newest.first?.revision == commit
            }
            let newest = try store.history(of: "web", limit: 4)
            #expect(converged, "kill point \(point): \(newest.map { "#\($0.id) \($0.initiator) \($0.outcome)" })")
            #expect(try await restarted.stop() == 0)
            if !broken { expected.goodImage = image }
            try await expected.check(scenario, lastCommitBroken: broken, commit: commit, point: point)
        }
        print("daemon kill points by stage: \(killedAt.sorted { $0.key.rawValue < $1.key.rawValue })")
        #expect(killedAt[.deploying, default: 0] >= Self.daemonKillPoints / 2, "\(killedAt)")
    }

    /// Where a kill left the deployment of `commit`.
    enum Stage: String {
        case beforeDeploying = "before"
        case deploying = "running"
        case finished
    }

    static func stage(_ scenario: GitOpsScenario, commit: String) async throws -> Stage {
        let history = try await scenario.history("web")
        if history.contains(where: { $0["outcome"] as? String == "Running" }) { return .deploying }
        return history.contains { $0["revision"] as? String == commit } ? .finished : .beforeDeploying
    }

    /// What must hold once Keelson has run again after a kill.
    struct Expectation {
        /// The image of the newest release that did not crash-loop.
        var goodImage: String

        func check(_ scenario: GitOpsScenario, lastCommitBroken: Bool, commit: String? = nil, point: Int = -1)
            async throws
        {
            let history = try await scenario.history("web")
            let context = Comment(rawValue: "kill point \(point): \(Self.describe(history))")
            #expect(!history.contains { $0["outcome"] as? String == "Running" }, context)
            var deployedByReconcile: [String: Int] = [:]
            for entry in history where entry["initiator"] as? String == "auto" {
                deployedByReconcile[entry["revision"] as? String ?? "", default: 0] += 1
            }
            #expect(deployedByReconcile.values.allSatisfy { $0 == 1 }, "a commit deployed twice; \(context)")
            #expect(try await scenario.liveImage("web") == "registry.example.com/web:\(goodImage)", context)
            let status = try await scenario.status("web")
            #expect(status["health"] as? String == "Healthy", context)
            if let commit {
                let forCommit = history.filter { $0["revision"] as? String == commit }
                #expect(forCommit.count == 1, context)
                #expect(forCommit.first?["outcome"] as? String == (lastCommitBroken ? "Failed" : "Succeeded"), context)
            }
            if lastCommitBroken {
                #expect(history.first?["initiator"] as? String == "auto-rollback", context)
                #expect(history.first?["outcome"] as? String == "Succeeded", context)
                #expect((status["pin"] as? [String: Any])?["reason"] as? String == "auto-rollback", context)
            } else {
                #expect(status["sync"] as? String == "Synced", context)
                #expect(status["pin"] == nil, context)
            }
            try await Self.checkController(scenario, context)
        }

        /// The Deployment controller's invariants once a rollout is over: every replica of the
        /// current template is up and available, old ReplicaSets are scaled to zero.
        static func checkController(_ scenario: GitOpsScenario, _ context: Comment) async throws {
            let deployment = try #require(try await scenario.liveDeployment("web"), context)
            let spec = try #require(deployment["spec"] as? [String: Any])
            let status = try #require(deployment["status"] as? [String: Any])
            let metadata = try #require(deployment["metadata"] as? [String: Any])
            let replicas = spec["replicas"] as? Int
            #expect(status["observedGeneration"] as? Int == metadata["generation"] as? Int, context)
            #expect(status["replicas"] as? Int == replicas, context)
            #expect(status["updatedReplicas"] as? Int == replicas, context)
            #expect(status["availableReplicas"] as? Int == replicas, context)
        }

        static func describe(_ history: [[String: Any]]) -> String {
            history.prefix(8).map {
                "#\($0["id"] ?? "?") \(($0["revision"] as? String ?? "").prefix(7)) \($0["initiator"] ?? "?") "
                    + "\($0["outcome"] ?? "?")"
            }.joined(separator: ", ")
        }
    }
}
