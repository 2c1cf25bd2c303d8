import Synchronization

/// Parse results of files keyed by git blob id (or content hash), shared by all renders.
///
/// An unchanged file is parsed once, however many applications, commits and renders include it.
/// Safe to share across tasks: the state is guarded by a `Mutex`, and parsing happens outside the lock
/// (two tasks missing the same key at once may both parse it; the results are identical).
///
/// The cache is bounded by the bytes of the files it holds parsed (``budget``): a parse result
/// takes about twelve times its file's size in memory (4 KB for a 325-byte Deployment). Eviction
/// is by generations: when the current generation's files add up to `budget / 2` bytes it becomes
/// the previous one and the older generation is dropped; a hit in the previous generation is
/// promoted. This keeps recently used entries at O(1) cost without per-entry bookkeeping. A
/// daemon renders only the applications a push changed, so what it keeps is the files of recent
/// renders and of shared bases, not every version of every file ever pushed.
public final class ManifestCache: Sendable {
    /// Counters describing how the cache has been used.
    public struct Statistics: Sendable, Hashable {
        /// Lookups answered from the cache.
        public var hits = 0
        /// Files parsed because they were not cached.
        public var parses = 0
        /// Entries currently held.
        public var entries = 0
    }

    private struct Entry {
        var parsed: any Sendable
        var bytes: Int
    }

    private struct State {
        var current: [String: Entry] = [:]
        var currentBytes = 0
        var previous: [String: Entry] = [:]
        var statistics = Statistics()
    }

    private let state = Mutex(State())
    /// The most bytes of files kept parsed.
    public let budget: Int

    /// Creates an empty cache.
    ///
    /// - Parameter budget: Bytes of files to keep parsed; between `budget / 2` and `budget` are kept
    ///   (and at least the file parsed last). The default, 1 MiB, holds some 2,000 files of 500
    ///   bytes in about 12 MB.
    public init(budget: Int = 1 << 20) {
        self.budget = budget
    }

    /// The counters so far.
    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.entries = state.current.count + state.previous.count
            return statistics
        }
    }

    /// The parse result for `key`, a file of `bytes` bytes, parsing with `parse` and storing the
    /// result on a miss.
    ///
    /// Each kind of result needs keys of its own: an entry of another type is parsed again and replaced.
    func parsed<Parsed: Sendable>(forKey key: String, bytes: Int, parse: () -> Parsed) -> Parsed {
        let cached: Parsed? = state.withLock { state in
            if let hit = state.current[key]?.parsed as? Parsed {
                state.statistics.hits += 1
                return hit
            }
            if let hit = state.previous.removeValue(forKey: key), let parsed = hit.parsed as? Parsed {
                state.statistics.hits += 1
                store(hit, forKey: key, in: &state)
                return parsed
            }
            return nil
        }
        if let cached { return cached }
        let parsed = parse()
        state.withLock { state in
            state.statistics.parses += 1
            store(Entry(parsed: parsed, bytes: bytes), forKey: key, in: &state)
        }
        return parsed
    }

    private func store(_ entry: Entry, forKey key: String, in state: inout State) {
        if state.currentBytes + entry.bytes > budget / 2, !state.current.isEmpty {
            state.previous = state.current
            state.current = [:]
            state.currentBytes = 0
        }
        if let replaced = state.current.updateValue(entry, forKey: key) { state.currentBytes -= replaced.bytes }
        state.currentBytes += entry.bytes
    }
}
