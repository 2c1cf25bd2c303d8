import ArgumentParser
import Foundation
import KeelsonGit

/// The child process in which the daemon repacks a mirror (``PackWriter/childProcess(executable:)``):
/// not for people, so not listed in `--help`.
struct MirrorRepackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror-repack",
        abstract: "Pack every object a mirror's references reach into one new pack, and print its name.",
        shouldDisplay: false)

    @Argument(help: "The mirror's folder.")
    var folder: String

    func run() throws {
        Self.exitWithParent()
        do {
            print(try PackWriter.writePackOfReachableObjects(inMirror: folder))
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }

    /// A daemon killed mid-repack takes its repack with it, as one repacking in its own process
    /// would: this process ends once it is no longer the daemon's child, at once (`_exit`: no
    /// exit handlers run while libgit2 writes on the main thread).
    private static func exitWithParent() {
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.05) }
            _exit(3)
        }
    }
}
