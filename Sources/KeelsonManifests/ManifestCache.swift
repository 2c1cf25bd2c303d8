import Synchronization

/// Parse results of files keyed by git blob id (or content hash), shared by all renders.
///
/// An unchanged file is parsed once, however many applications, commits and renders include it.
/// Safe to share across tasks: the state is guarded by a `Mutex`, and parsing happens outside the lock
/// (two tasks missing the same key at once may both parse it; the results are identical).
///
/// Eviction is by generations: when the current generation holds `capacity / 2` entries it becomes the
/// previous one and the older generation is dropped; a hit in the previous generation is promoted.
/// This keeps recently used entries at O(1) cost without per-entry bookkeeping.
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

    private struct State {
        var current: [String: any Sendable] = [:]
        var previous: [String: any Sendable] = [:]
        var statistics = Statistics()
    }

    private let state = Mutex(State())
    /// The most entries kept, at least 2.
    public let capacity: Int

    /// Creates an empty cache.
    ///
    /// - Parameter capacity: Roughly how many parsed files to keep; between `capacity / 2` and `capacity` are kept.
    public init(capacity: Int = 100_000) {
        self.capacity = max(capacity, 2)
    }

    /// The counters so far.
    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.entries = state.current.count + state.previous.count
            return statistics
        }
    }

    /// The parse result for `key`, parsing with `parse` and storing the result on a miss.
    ///
    /// Each kind of result needs keys of its own: an entry of another type is parsed again and replaced.
    func parsed<Parsed: Sendable>(forKey key: String, parse: () -> Parsed) -> Parsed {
        let cached: Parsed? = state.withLock { state in
            if let hit = state.current[key] as? Parsed {
                state.statistics.hits += 1
                return hit
            }
            if let hit = state.previous.removeValue(forKey: key) as? Parsed {
                state.statistics.hits += 1
                store(hit, forKey: key, in: &state)
                return hit
            }
            return nil
        }
        if let cached { return cached }
        let parsed = parse()
        state.withLock { state in
            state.statistics.parses += 1
            store(parsed, forKey: key, in: &state)
        }
        return parsed
    }

    private func store(_ parsed: any Sendable, forKey key: String, in state: inout State) {
        if state.current.count >= capacity / 2 {
            state.previous = state.current
            state.current = [:]
        }
        state.current[key] = parsed
    }
}
