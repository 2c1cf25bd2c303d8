import Foundation

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The hold a process takes on a mirror to write it (`flock(2)` on `<mirror>/keelson.lock`): the
/// daemon's and the command line's fetches, restores and pack removals of one mirror never overlap.
/// The kernel lets go of it when its holder exits, however it exits; git's own lock files
/// (`refs/remotes/origin/main.lock`, `packed-refs.lock`) stay behind when a writer is killed, and
/// while this hold is taken every one of them is such a leftover (see ``removeGitLockFiles()``),
/// as long as nothing but keelson writes the mirror (no `git` run in it by hand).
final class MirrorWriterLock {
    static let fileName = "keelson.lock"
    private let folder: String
    private var descriptor: Int32 = -1

    /// - Parameter folder: the mirror's folder.
    init(mirror folder: String) {
        self.folder = folder
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Takes the hold when no other process has it; false when one does.
    func tryAcquire(operation: String) throws -> Bool {
        if descriptor < 0 {
            let path = (folder as NSString).appendingPathComponent(Self.fileName)
            descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw GitError(
                    operation: operation, kind: .other,
                    message: "cannot open \(path): \(String(cString: strerror(errno)))")
            }
        }
        return flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    func release() {
        flock(descriptor, LOCK_UN)
    }

    /// Removes the lock files git leaves in the mirror (`*.lock` at its top and under `refs/`);
    /// the paths removed, relative to the mirror. Call it only while holding the lock.
    func removeGitLockFiles() -> [String] {
        let files = FileManager.default
        var candidates = ((try? files.contentsOfDirectory(atPath: folder)) ?? []).filter { $0 != Self.fileName }
        let refs = (folder as NSString).appendingPathComponent("refs")
        candidates += files.subpaths(atPath: refs)?.map { "refs/" + $0 } ?? []
        let removed = candidates.filter { $0.hasSuffix(".lock") }.sorted()
        for path in removed { try? files.removeItem(atPath: (folder as NSString).appendingPathComponent(path)) }
        return removed
    }
}
