import ArgumentParser
import Foundation

/// This `keelson` executable, which the daemon and the soak bench start again as a child process.
enum Executable {
    static func path() throws -> String {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw ValidationError("cannot find this executable through /proc/self/exe")
        }
        return path
    }
}
