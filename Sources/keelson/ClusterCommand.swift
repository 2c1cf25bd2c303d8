import ArgumentParser
import Foundation
import KeelsonSimulator

/// `keelson cluster …`: the simulated cluster, with kubectl's verbs and output.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Look at and rehearse on the simulated cluster (kubectl-shaped).",
        discussion: """
            The cluster lives in <home>/cluster.sqlite. With no daemon running its clock only moves \
            when you advance it (or wait for a rollout), one controller sync per simulated second.
            """,
        subcommands: [
            ClusterGetCommand.self, ClusterApplyCommand.self, ClusterAdvanceCommand.self, ClusterRolloutCommand.self,
            ClusterScaleCommand.self, ClusterLabelCommand.self, ClusterSetCommand.self, ClusterDeleteCommand.self,
            ClusterFaultCommand.self,
            ClusterResetCommand.self,
        ])
}

/// `--home` and `-n`, shared by the cluster commands.
struct ClusterOptions: ParsableArguments {
    @OptionGroup var home: HomeOptions

    @Option(name: [.short, .customLong("namespace")], help: "The namespace.")
    var namespace = "default"

    /// Opens the simulated cluster of this home, creating the home when needed.
    func open() throws -> SimulatedCluster {
        try FileManager.default.createDirectory(atPath: home.folder, withIntermediateDirectories: true)
        return try SimulatedCluster(path: (home.folder as NSString).appendingPathComponent("cluster.sqlite"))
    }
}
