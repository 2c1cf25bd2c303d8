import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonSimulator
import Synchronization

/// What the reconciling commands work with in one home: the store, the simulated cluster (opened
/// once per process, on first use) and a reconciler over both. When a daemon runs on the home, the
/// drivers follow rollouts on its clock.
struct Workspace {
    let store: ApplicationStore
    let reconciler: Reconciler
    /// The target driver of a destination.
    let driver: @Sendable (Application.Destination) throws -> any TargetDriver
    /// The simulated cluster of this home, as the drivers share it.
    let simulatedCluster: @Sendable () throws -> SimulatedCluster

    /// - Parameter observe: Sets the observers of git requests and mirror maintenance.
    init(_ home: HomeOptions, observe: (inout NetworkOptions) -> Void = { _ in }) throws {
        try self.init(folder: home.folder, observe: observe)
    }

    /// - Parameters:
    ///   - folder: Keelson's home.
    ///   - observe: Sets the observers of git requests and mirror maintenance.
    init(folder: String, observe: (inout NetworkOptions) -> Void = { _ in }) throws {
        store = try ApplicationStore(home: folder)
        let cluster = SharedCluster(path: (folder as NSString).appendingPathComponent("cluster.sqlite"))
        simulatedCluster = { try cluster.open() }
        driver = { destination in
            guard destination.driver == "simulated" else { throw ReconcileError.unknownDriver(destination.driver) }
            // A daemon on this home runs the clock: following rollouts then waits for it.
            let daemon = try DaemonLock.running(home: folder)
            return SimulatedClusterDriver(
                cluster: try cluster.open(), clock: daemon.map { .running(speed: $0.simulationSpeed) } ?? .manual)
        }
        let environment = ProcessInfo.processInfo.environment
        var identity = Reconciler.Identity()
        identity.authorName = environment["KEELSON_GIT_AUTHOR_NAME"] ?? identity.authorName
        identity.authorEmail = environment["KEELSON_GIT_AUTHOR_EMAIL"] ?? identity.authorEmail
        var network = NetworkOptions(credentials: try GitCredentials.fromEnvironment())
        observe(&network)
        reconciler = Reconciler(home: folder, store: store, identity: identity, network: network, drivers: driver)
    }
}

/// One ``SimulatedCluster`` per process, so the drivers share one snapshot instead of each
/// reloading the file after the others' changes.
private final class SharedCluster: Sendable {
    private let path: String
    private let opened = Mutex<SimulatedCluster?>(nil)

    init(path: String) {
        self.path = path
    }

    func open() throws -> SimulatedCluster {
        try opened.withLock { cluster in
            if let cluster { return cluster }
            let created = try SimulatedCluster(path: path)
            cluster = created
            return created
        }
    }
}
