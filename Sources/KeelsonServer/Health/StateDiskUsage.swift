import Foundation

/// The disk space Keelson's home holds, by part: the git mirrors and each SQLite database with its
/// WAL and shared-memory files, measured at each scrape.
enum StateDiskUsage {
    /// The parts, by the `path` label `/metrics` gives them, and the files each covers.
    static let parts: [(path: String, files: [String])] = [
        ("mirrors", ["mirrors"]),
        ("keelson.sqlite", ["keelson.sqlite", "keelson.sqlite-wal", "keelson.sqlite-shm"]),
        ("cluster.sqlite", ["cluster.sqlite", "cluster.sqlite-wal", "cluster.sqlite-shm"]),
    ]

    /// Bytes on disk of each part of `home` (0 for a part not there).
    static func measure(home: String) -> [(path: String, bytes: Double)] {
        parts.map { part in
            (part.path, part.files.map { bytes(at: (home as NSString).appendingPathComponent($0)) }.reduce(0, +))
        }
    }

    /// The size of a file, or of every file under a folder.
    private static func bytes(at path: String) -> Double {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isFolder) else { return 0 }
        guard isFolder.boolValue else { return size(path) }
        var total = 0.0
        for case let file as String in files.enumerator(atPath: path) ?? .init() {
            total += size((path as NSString).appendingPathComponent(file))
        }
        return total
    }

    private static func size(_ path: String) -> Double {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular
        else { return 0 }
        return (attributes[.size] as? NSNumber)?.doubleValue ?? 0
    }
}
