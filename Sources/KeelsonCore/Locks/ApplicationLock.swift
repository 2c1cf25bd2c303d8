import Foundation

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// An exclusive hold on one application across processes (`flock(2)` on `<home>/locks/<name>.lock`),
/// so two `keelson` processes never reconcile it at once. The kernel releases it when the holder
/// exits, however it exits; the file says who holds it.
public final class ApplicationLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Takes the lock, waiting up to `patience` for another holder to let go.
    ///
    /// - Throws: ``ReconcileError/locked(_:holder:)`` naming the holder when it does not.
    public static func acquire(_ application: String, home: String, patience: Duration = .seconds(5)) async throws
        -> ApplicationLock
    {
        let folder = (home as NSString).appendingPathComponent("locks")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent("\(application).lock")
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        let deadline = ContinuousClock.now + patience
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard ContinuousClock.now < deadline else {
                let holder = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                close(descriptor)
                throw ReconcileError.locked(application, holder: holder.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let holder =
            "process \(getpid()) (\(CommandLine.arguments.joined(separator: " "))) since "
            + Date().formatted(.iso8601) + "\n"
        ftruncate(descriptor, 0)
        _ = holder.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return ApplicationLock(descriptor: descriptor)
    }
}
