import ArgumentParser
import KeelsonCore
import KeelsonGit

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print Keelson's version and the libgit2 it runs on.")

    func run() {
        print("keelson \(KeelsonVersion.current)")
        print("libgit2 \(LibGit2.version)")
    }
}
