import CGit2
import Foundation

/// What a repack found and did.
public struct RepackResult: Sendable, Equatable {
    /// Every reachable object was packed anew (else small packs were rolled up).
    public var full = false
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

    /// Removes what the pack `name` supersedes in the repository at `path`: each other pack whose
    /// every object it holds, each loose object it holds, and packs, loose objects and temporary
    /// files older than `expiry` that it does not hold (what force-pushes left unreachable, what
    /// an interrupted repack or fetch left behind).
    ///
    /// Nothing a concurrent writer (another keelson fetching into this mirror) adds is removed
    /// before `expiry`: its objects are not in the new pack. A kill at any point leaves every
    /// reachable object readable, at worst in two packs until the next repack; each pack's index
    /// is removed before its pack, so no index names a pack that is gone.
    ///
    /// After a roll-up (`rolledUp`: the packs it combined) only those packs and the loose objects
    /// the new pack holds are removed: what is unreachable is known only after a full repack.
    static func removeSuperseded(
        by name: String, in path: String, expiry: TimeInterval, now: Date = Date(), rolledUp: Set<String>? = nil
    ) throws -> RepackResult {
        let objects = (path as NSString).appendingPathComponent("objects")
        let packFolder = (objects as NSString).appendingPathComponent("pack")
        let allPacks = packs(in: packFolder)
        let oldPacks = rolledUp.map { rolledUp in allPacks.filter(rolledUp.contains) } ?? allPacks
        let expiry = rolledUp == nil ? expiry : .infinity
        var result = RepackResult(packsBefore: allPacks.count)
        let file = { (name: String) in (packFolder as NSString).appendingPathComponent(name) }
        result.packBytes =
            (try? FileManager.default.attributesOfItem(atPath: file("pack-\(name).pack"))[.size] as? Int) ?? 0
        try withPackDatabase(file("pack-\(name).idx")) { newPack in
            for pack in oldPacks where pack != name {
                let index = file("pack-\(pack).idx")
                guard try age(of: index, now: now) > expiry || packObjects(index, allIn: newPack) else { continue }
                try? FileManager.default.removeItem(atPath: index)
                for suffix in [".pack", ".rev"] {
                    try? FileManager.default.removeItem(atPath: file("pack-\(pack)\(suffix)"))
                }
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

    /// How many of the smallest packs (sizes in objects, smallest first) to roll up into one so
    /// that every pack left holds at least twice as many objects as the next smaller one: git's
    /// `repack --geometric=2`. Each push then costs a roll-up of a few small packs, and the whole
    /// mirror is repacked only when the small ones add up to half of it; a mirror holds about
    /// log₂ of its growth in packs.
    static func geometricRollUp(_ sizes: [Int], factor: Int = 2) -> Int {
        guard sizes.count > 1 else { return 0 }
        // The largest packs already in progression stay.
        var split = sizes.count - 1
        while split > 0, sizes[split] >= factor * sizes[split - 1] { split -= 1 }
        if split == 0 { return 0 }
        // Every pack below the split is rolled up, and each next one the roll-up outgrows.
        var rolledUp = sizes[..<split].reduce(0, +)
        while split < sizes.count, sizes[split] < factor * rolledUp {
            rolledUp += sizes[split]
            split += 1
        }
        return split
    }

    /// Packs every object of the packs `names` and every loose object into one new pack; its name.
    func writePack(combining names: [String]) throws -> String {
        var builder: OpaquePointer?
        try GitError.check(git_packbuilder_new(&builder, pointer), "start a pack of \(displayName)")
        defer { git_packbuilder_free(builder) }
        var ids: [git_oid] = Self.looseObjects(in: objectsFolder).map(\.0.oid)
        for name in names {
            let index = "\(packFolder)/pack-\(name).idx"
            let found = Box([git_oid]())
            try Self.withPackDatabase(index) { pack in
                let status = withExtendedLifetime(found) {
                    git_odb_foreach(
                        pack,
                        { id, payload in
                            Unmanaged<Box<[git_oid]>>.fromOpaque(payload!).takeUnretainedValue().value.append(
                                id!.pointee)
                            return 0
                        }, Unmanaged.passUnretained(found).toOpaque())
                }
                try GitError.check(status, "list the objects of \(index)")
            }
            ids += found.value
        }
        for var id in ids {
            try GitError.check(git_packbuilder_insert(builder, &id, nil), "pack an object of \(displayName)")
        }
        try GitError.check(
            git_packbuilder_write(builder, packFolder, 0, nil, nil), "write a pack into \(displayName)")
        return String(cString: git_packbuilder_name(builder))
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
