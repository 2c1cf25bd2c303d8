import CGit2
import Foundation

/// What a mirror's maintenance found and did: small packs unpacked into loose objects, a full
/// repack, or both.
public struct RepackResult: Sendable, Equatable {
    /// Every reachable object was packed anew into one pack.
    public var full = false
    /// Small packs written as loose objects and removed.
    public var packsUnpacked = 0
    /// Packs before, and left after (the new one included).
    public var packsBefore = 0
    public var packsAfter = 0
    /// Loose objects removed: packed now, or unreachable and older than the expiry.
    public var looseObjectsRemoved = 0
    /// Bytes of the pack written.
    public var packBytes = 0
}

extension Repository {
    /// How many packs (`objects/pack/pack-*.pack`) and loose objects the object database holds.
    var objectFiles: (packs: Int, looseObjects: Int) {
        (Self.packs(in: packFolder).count, Self.looseObjects(in: objectsFolder).count)
    }

    private var objectsFolder: String { (path as NSString).appendingPathComponent("objects") }
    private var packFolder: String { (objectsFolder as NSString).appendingPathComponent("pack") }

    /// Removes what the pack `name`, just written with every reachable object, supersedes in the
    /// repository at `path`: each other pack whose every object it holds, each loose object it
    /// holds, and packs, loose objects and temporary files older than `expiry` that it does not
    /// hold (what force-pushes left unreachable, what an interrupted repack or fetch left behind).
    ///
    /// Nothing a concurrent writer (another keelson fetching into this mirror) adds is removed
    /// before `expiry`: its objects are not in the new pack. A kill at any point leaves every
    /// reachable object readable, at worst twice until the next repack.
    static func removeSuperseded(by name: String, in path: String, expiry: TimeInterval, now: Date = Date()) throws
        -> RepackResult
    {
        let objects = (path as NSString).appendingPathComponent("objects")
        let packFolder = (objects as NSString).appendingPathComponent("pack")
        let oldPacks = packs(in: packFolder)
        var result = RepackResult(full: true, packsBefore: oldPacks.count)
        let file = { (name: String) in (packFolder as NSString).appendingPathComponent(name) }
        result.packBytes =
            (try? FileManager.default.attributesOfItem(atPath: file("pack-\(name).pack"))[.size] as? Int) ?? 0
        try withPackDatabase(file("pack-\(name).idx")) { newPack in
            for pack in oldPacks where pack != name {
                let index = file("pack-\(pack).idx")
                guard try age(of: index, now: now) > expiry || packObjects(index, allIn: newPack) else { continue }
                removePack(pack, in: path)
            }
            for (id, loose) in looseObjects(in: objects) {
                var oid = id.oid
                guard git_odb_exists(newPack, &oid) == 1 || age(of: loose, now: now) > expiry else { continue }
                if (try? FileManager.default.removeItem(atPath: loose)) != nil { result.looseObjectsRemoved += 1 }
            }
        }
        // Temporary files of a pack write or fetch that was killed.
        for temporary in (try? FileManager.default.contentsOfDirectory(atPath: packFolder)) ?? []
        where temporary.hasPrefix("pack_") || temporary.hasPrefix("tmp_") {
            if age(of: file(temporary), now: now) > expiry {
                try? FileManager.default.removeItem(atPath: file(temporary))
            }
        }
        result.packsAfter = packs(in: packFolder).count
        return result
    }

    /// Packs every commit, tree, blob and annotated tag the references reach into one new pack
    /// in `objects/pack`; its name (the hex after `pack-`) and size.
    func writePackOfReachableObjects() throws -> String {
        var builder: OpaquePointer?
        try GitError.check(git_packbuilder_new(&builder, pointer), "start a pack of \(displayName)")
        defer { git_packbuilder_free(builder) }
        var walk: OpaquePointer?
        try GitError.check(git_revwalk_new(&walk, pointer), "walk \(displayName)")
        defer { git_revwalk_free(walk) }
        var names = git_strarray()
        try GitError.check(git_reference_list(&names, pointer), "list the references of \(displayName)")
        defer { git_strarray_dispose(&names) }
        for index in 0..<names.count {
            guard let name = names.strings[index] else { continue }
            var oid = git_oid()
            guard git_reference_name_to_id(&oid, pointer, name) == 0 else { continue }
            var object: OpaquePointer?
            guard git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY) == 0 else { continue }
            defer { git_object_free(object) }
            // Annotated tags go in themselves; the walk takes the commits they point to.
            if git_object_type(object) == GIT_OBJECT_TAG {
                try GitError.check(git_packbuilder_insert(builder, &oid, nil), "pack tag \(String(cString: name))")
            }
            var peeled: OpaquePointer?
            guard git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) == 0 else { continue }
            defer { git_object_free(peeled) }
            var commit = git_object_id(peeled).pointee
            try GitError.check(git_revwalk_push(walk, &commit), "walk from \(String(cString: name))")
        }
        try GitError.check(git_packbuilder_insert_walk(builder, walk), "pack the history of \(displayName)")
        try GitError.check(
            git_packbuilder_write(builder, packFolder, 0, nil, nil), "write a pack into \(displayName)")
        return String(cString: git_packbuilder_name(builder))
    }

    /// The packs in `objects/pack`, smallest first, with the number of objects each holds.
    var packSizes: [(name: String, objects: Int)] {
        Self.packs(in: packFolder).map { ($0, Self.objectCount(ofIndex: "\(packFolder)/pack-\($0).idx")) }
            .sorted { ($0.objects, $0.name) < ($1.objects, $1.name) }
    }

    /// Writes every object of the pack `name` as a loose object (git's `unpack-objects`); the
    /// pack itself stays, for ``removePack(_:in:)``. Like the packs libgit2 fetches, the objects
    /// are not synced to disk. Returns how many were written.
    func writeLooseObjects(of name: String) throws -> Int {
        var loose: OpaquePointer?
        try GitError.check(git_odb_new(&loose), "open an object database")
        defer { git_odb_free(loose) }
        // A database of the loose objects alone: the repository's own would find each object in
        // the pack and write nothing.
        var backend: OpaquePointer?
        try GitError.check(
            git_odb_backend_loose(&backend, objectsFolder, -1, 0, 0, 0), "open the loose objects of \(displayName)")
        try GitError.check(git_odb_add_backend(loose, backend, 1), "open the loose objects of \(displayName)")
        let index = "\(packFolder)/pack-\(name).idx"
        var written = 0
        try Self.withPackDatabase(index) { pack in
            for var id in try Self.objectIDs(in: pack, index: index) {
                var object: OpaquePointer?
                try GitError.check(git_odb_read(&object, pack, &id), "read an object of \(index)")
                defer { git_odb_object_free(object) }
                var writtenID = git_oid()
                try GitError.check(
                    git_odb_write(
                        &writtenID, loose, git_odb_object_data(object), git_odb_object_size(object),
                        git_odb_object_type(object)),
                    "write a loose object into \(displayName)")
                written += 1
            }
        }
        return written
    }

    /// Removes the pack `name` from the repository at `path`: its index first, so that no index
    /// names a pack that is gone.
    static func removePack(_ name: String, in path: String) {
        let packFolder = (path as NSString).appendingPathComponent("objects/pack")
        for suffix in [".idx", ".pack", ".rev"] {
            try? FileManager.default.removeItem(atPath: "\(packFolder)/pack-\(name)\(suffix)")
        }
    }

    /// The ids of every object in the one-pack database `pack` (read from `index`).
    private static func objectIDs(in pack: OpaquePointer, index: String) throws -> [git_oid] {
        let found = Box([git_oid]())
        let status = withExtendedLifetime(found) {
            git_odb_foreach(
                pack,
                { id, payload in
                    Unmanaged<Box<[git_oid]>>.fromOpaque(payload!).takeUnretainedValue().value.append(id!.pointee)
                    return 0
                }, Unmanaged.passUnretained(found).toOpaque())
        }
        try GitError.check(status, "list the objects of \(index)")
        return found.value
    }

    /// The number of objects the pack index `path` lists: the last entry of its fan-out table
    /// (index version 2: a 4-byte magic, a 4-byte version, then 256 big-endian counts); 0 when
    /// unreadable.
    private static func objectCount(ofIndex path: String) -> Int {
        guard let file = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? file.close() }
        guard let header = try? file.read(upToCount: 8 + 256 * 4), header.count == 8 + 256 * 4,
            header.prefix(4) == Data([0xff, 0x74, 0x4f, 0x63])
        else { return 0 }
        return header.suffix(4).reduce(0) { $0 << 8 | Int($1) }
    }

    /// Runs `body` with an object database made of the one pack `index` describes.
    private static func withPackDatabase(_ index: String, _ body: (OpaquePointer) throws -> Void) throws {
        var database: OpaquePointer?
        try GitError.check(git_odb_new(&database), "open an object database")
        defer { git_odb_free(database) }
        var backend: OpaquePointer?
        try GitError.check(git_odb_backend_one_pack(&backend, index), "open the pack \(index)")
        // The database owns the backend once added.
        try GitError.check(git_odb_add_backend(database, backend, 1), "open the pack \(index)")
        try body(database!)
    }

    /// Whether `database` holds every object of the pack `index` describes.
    private static func packObjects(_ index: String, allIn database: OpaquePointer) throws -> Bool {
        let search = Box((database: database, allIn: true))
        try withPackDatabase(index) { pack in
            _ = withExtendedLifetime(search) {
                git_odb_foreach(
                    pack,
                    { id, payload in
                        let search = Unmanaged<Box<(database: OpaquePointer, allIn: Bool)>>.fromOpaque(payload!)
                            .takeUnretainedValue()
                        guard git_odb_exists(search.value.database, id) == 1 else {
                            search.value.allIn = false
                            return 1  // stops the walk
                        }
                        return 0
                    }, Unmanaged.passUnretained(search).toOpaque())
            }
        }
        return search.value.allIn
    }

    /// The names (the hex after `pack-`) of the packs in `folder` that have an index.
    private static func packs(in folder: String) -> [String] {
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        return names.filter { $0.hasPrefix("pack-") && $0.hasSuffix(".idx") }
            .map { String($0.dropFirst(5).dropLast(4)) }
            .filter { names.contains("pack-\($0).pack") }.sorted()
    }

    /// Loose objects: `objects/xx/<38 hex>` files, with their ids.
    private static func looseObjects(in objects: String) -> [(ObjectID, String)] {
        var found: [(ObjectID, String)] = []
        for prefix in (try? FileManager.default.contentsOfDirectory(atPath: objects)) ?? [] where prefix.count == 2 {
            let folder = (objects as NSString).appendingPathComponent(prefix)
            for rest in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where rest.count == 38 {
                if let id = ObjectID(hex: prefix + rest) {
                    found.append((id, (folder as NSString).appendingPathComponent(rest)))
                }
            }
        }
        return found
    }

    private static func age(of file: String, now: Date) -> TimeInterval {
        let modified = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? now
        return now.timeIntervalSince(modified ?? now)
    }
}

/// A mutable value C callbacks can reach through their payload.
private final class Box<Value> {
    var value: Value
    init(_ value: Value) { self.value = value }
}
