import Foundation
import KeelsonTestSupport
import Testing

/// Writers of the simulated cluster's file queue; a wait that runs out is not a failed deployment.
struct ContentionTests {
    @Test func aLockHeldPastTheBusyTimeoutLeavesTheDeploymentPendingNotFailed() async throws {
        let scenario = try GitOpsScenario()
        try scenario.writeDeployment("web", app: "web", image: "1.0")
        try await scenario.push("web 1.0")
        try await scenario.addApplication("web")
        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        try scenario.writeDeployment("web", app: "web", image: "2.0")
        try await scenario.push("web 2.0")

        // Another program holds the cluster's write lock for longer than Keelson waits (5 s).
        let holder = try LockHolder(scenario.home.appending("cluster.sqlite"), seconds: 7)
        let reconcile = try await scenario.keelson("reconcile")
        #expect(reconcile.status != 0)
        #expect(reconcile.stderr.contains("the target is busy"), "\(reconcile.stderr)")
        var history = try await scenario.history("web")
        #expect(history.count == 2)
        #expect(history.first?["outcome"] as? String == "Running", "a lock wait is not a failed deployment")
        try holder.wait()

        #expect(try await scenario.keelson("reconcile", "--wait").status == 0)
        history = try await scenario.history("web")
        #expect(history.count == 2, "the same entry is applied, not a second one")
        #expect(history.first?["outcome"] as? String == "Succeeded")
        #expect(try await scenario.liveImage("web") == "registry.example.com/web:2.0")
    }
}

/// A python3 process holding `BEGIN IMMEDIATE` on an SQLite file it uses, as another program would.
private final class LockHolder: Sendable {
    private let process: Process

    init(_ path: String, seconds: Int) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            # A write first, as a process using the file has made: the WAL is not empty.
            db.execute("PRAGMA user_version = 0")
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            time.sleep(\(seconds))
            db.execute("ROLLBACK")
            """,
            path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let line = output.fileHandleForReading.readData(ofLength: 7)
        guard String(decoding: line, as: UTF8.self) == "locked\n" else {
            throw ScenarioError(message: "the lock holder did not start")
        }
    }

    func wait() throws { process.waitUntilExit() }
}
