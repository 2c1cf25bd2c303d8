import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonSimulator

/// One Keelson home over a synthetic monorepo: the store with every application registered,
/// the simulated cluster and a reconciler, as the daemon has them (caches warm after the first pass).
struct BenchEnvironment {
    let monorepo: SyntheticMonorepo
    let home: String
    let store: ApplicationStore
    let cluster: SimulatedCluster
    let driver: SimulatedClusterDriver
    let reconciler: Reconciler

    /// A fresh home under `folder` for `monorepo`.
    init(_ monorepo: SyntheticMonorepo, in folder: String, name: String = "home") throws {
        self.monorepo = monorepo
        home = (folder as NSString).appendingPathComponent(name)
        try? FileManager.default.removeItem(atPath: home)
        store = try ApplicationStore(home: home)
        try store.put(
            monorepo.names.map { Application(name: $0, repository: monorepo.writer.url, path: "apps/\($0)") })
        cluster = try SimulatedCluster(path: (home as NSString).appendingPathComponent("cluster.sqlite"))
        let driver = SimulatedClusterDriver(cluster: cluster)
        self.driver = driver
        reconciler = Reconciler(home: home, store: store) { _ in driver }
    }

    /// One reconcile pass over every application (no waiting for rollouts).
    func passOverEveryApplication() async throws {
        let reports = await reconciler.reconcileAll(monorepo.names)
        for (name, result) in reports {
            if case .failure(let error) = result { throw BenchError("\(name): \(error)") }
        }
    }

    /// Lets the simulated cluster run until every rollout completed.
    func settle() async throws {
        let settling = try await cluster.advanceUntilSettled(maxSeconds: 3600)
        guard settling.settled else { throw BenchError("rollouts did not settle within an hour of simulated time") }
    }
}
