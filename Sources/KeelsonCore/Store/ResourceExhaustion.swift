import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// A resource of the machine that ran out: the cause of an error that no change to the manifests
/// or the settings can fix, and that goes away by itself once the resource is free again.
public enum ResourceExhaustion: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The process's open files reached `ulimit -n` (EMFILE), or the system's (ENFILE).
    case openFiles = "open-files"
    /// The file system holding Keelson's home is full (ENOSPC).
    case diskSpace = "disk-space"

    public var description: String {
        switch self {
        case .openFiles:
            "too many open files (the limit, ulimit -n, is \(Self.openFileLimit.map(String.init) ?? "unknown")); "
                + "nothing recorded was lost, and Keelson goes on once files are free"
        case .diskSpace:
            "no space left on the device; nothing recorded was lost, and Keelson goes on once space is freed"
        }
    }

    /// What ran out when `error` happened, if that was its cause; `home` is the folder whose file
    /// system Keelson writes. libgit2 and SQLite report the system error in different ways: its
    /// text for libgit2; a result code for SQLite, whose cause is then checked on the machine.
    public static func cause(of error: any Error, home: String) -> ResourceExhaustion? {
        if let error = error as? StorageUnavailable { return error.cause }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL: return .diskSpace
            case .SQLITE_IOERR, .SQLITE_CANTOPEN:
                if isFull(home) { return .diskSpace }
                if openFilesNearLimit { return .openFiles }
                return nil
            default: return nil
            }
        }
        let text = "\(error)"
        if text.contains(String(cString: strerror(EMFILE))) || text.contains(String(cString: strerror(ENFILE))) {
            return .openFiles
        }
        if text.contains(String(cString: strerror(ENOSPC))) { return .diskSpace }
        // Foundation's file errors often carry no system error (`CocoaError` 256, "unknown"):
        // what the machine looks like now tells.
        if error is CocoaError || error is POSIXError || (error as NSError).domain == NSCocoaErrorDomain {
            if openFilesNearLimit { return .openFiles }
            if isFull(home) { return .diskSpace }
        }
        return nil
    }

    /// Whether the file system holding `path` (or its nearest existing parent) has no room left
    /// for another page of SQLite.
    static func isFull(_ path: String) -> Bool {
        var folder = path
        while !FileManager.default.fileExists(atPath: folder), folder != "/" {
            folder = (folder as NSString).deletingLastPathComponent
        }
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else { return false }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize) < 64 * 1024
    }

    /// The soft limit on open files.
    static var openFileLimit: Int? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return Int(limit.rlim_cur)
    }

    /// Whether this process holds about as many files open as it may.
    static var openFilesNearLimit: Bool {
        guard let limit = openFileLimit,
            let open = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        else { return false }
        // Listing /proc/self/fd opens one more.
        return open + 4 >= limit
    }
}

/// A Keelson store that cannot be opened or written because a resource ran out.
public struct StorageUnavailable: Error, Sendable, CustomStringConvertible {
    public var cause: ResourceExhaustion
    /// The store's file.
    public var path: String

    public var description: String {
        let folder = (path as NSString).deletingLastPathComponent
        switch cause {
        case .diskSpace:
            return "no space left on the device holding \(folder): \((path as NSString).lastPathComponent) "
                + "cannot be written; free some space there. Nothing recorded was lost"
        case .openFiles:
            return "cannot open \(path): \(cause)"
        }
    }
}
