import Foundation

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Which daemon runs a home, as it wrote into the home's daemon lock.
public struct DaemonInfo: Codable, Sendable, Hashable {
    public var pid: Int32
    /// Where its server listens, such as `127.0.0.1:8080`.
    public var listenAddress: String
    /// Simulated seconds per real second of the simulated cluster's clock it runs.
    public var simulationSpeed: Double
    /// When it started; kept to the second.
    public var started: Date

    public init(pid: Int32 = getpid(), listenAddress: String, simulationSpeed: Double, started: Date = Date()) {
        self.pid = pid
        self.listenAddress = listenAddress
        self.simulationSpeed = simulationSpeed
        self.started = started
    }
}

/// Why the daemon lock of a home could not be taken or read.
public enum DaemonLockError: Error, Sendable, CustomStringConvertible {
    /// Another daemon runs on the home.
    case alreadyRunning(home: String, holder: DaemonInfo)
    /// A process holds the lock file without saying which daemon it is.
    case unreadableHolder(path: String)

    public var description: String {
        switch self {
        case .alreadyRunning(let home, let holder):
            "a keelson daemon already runs on \(home): process \(holder.pid), listening on \(holder.listenAddress), "
                + "simulation speed \(holder.simulationSpeed.formatted())x, since \(holder.started.formatted(.iso8601)); "
                + "stop it first or use another --home"
        case .unreadableHolder(let path):
            "another process holds \(path) but does not say which daemon it is"
        }
    }
}

/// The one daemon of a home (`flock(2)` on `<home>/daemon.lock`, which holds its ``DaemonInfo`` as
/// JSON), so that other processes know whether one runs and how fast it runs the simulated clock.
/// The kernel releases it when the daemon exits, however it exits.
public final class DaemonLock: Sendable {
    /// What this daemon wrote into the lock.
    public let info: DaemonInfo
    private let descriptor: Int32

    private init(info: DaemonInfo, descriptor: Int32) {
        self.info = info
        self.descriptor = descriptor
    }

    deinit {
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Takes the lock for a daemon about to run on `home` and writes `info` into it.
    ///
    /// - Throws: ``DaemonLockError/alreadyRunning(home:holder:)`` naming the daemon that holds it.
    public static func acquire(home: String, info: DaemonInfo) throws -> DaemonLock {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let path = path(home)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        // A moment's patience: a process asking ``running(home:)`` holds it shared for an instant.
        var attempts = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            attempts += 1
            guard attempts < 20 else {
                close(descriptor)
                throw DaemonLockError.alreadyRunning(home: home, holder: try holder(path))
            }
            usleep(10_000)
        }
        let lock = DaemonLock(info: info, descriptor: descriptor)
        let json = try encoder.encode(info) + Data("\n".utf8)
        ftruncate(descriptor, 0)
        let written = json.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == json.count else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        return lock
    }

    /// The daemon running on `home`, or nil when none does.
    ///
    /// - Throws: ``DaemonLockError/unreadableHolder(path:)`` when the lock is held by a process that
    ///   wrote no ``DaemonInfo``.
    public static func running(home: String) throws -> DaemonInfo? {
        let path = path(home)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        defer { close(descriptor) }
        // Shared, so that processes asking at the same time do not take each other for a daemon.
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 { return nil }
        return try holder(path)
    }

    private static func path(_ home: String) -> String {
        (home as NSString).appendingPathComponent("daemon.lock")
    }

    /// The info a holder wrote, waiting a moment for one that has just taken the lock to write it.
    private static func holder(_ path: String) throws -> DaemonInfo {
        for _ in 0..<20 {
            if let data = FileManager.default.contents(atPath: path),
                let info = try? decoder.decode(DaemonInfo.self, from: data)
            {
                return info
            }
            usleep(10_000)
        }
        throw DaemonLockError.unreadableHolder(path: path)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
