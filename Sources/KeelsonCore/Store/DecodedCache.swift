import Foundation
import Synchronization

/// Values decoded from stored bodies, kept per key with the exact bytes they came from: reading
/// a record again costs a byte comparison instead of a JSON decode while its body is unchanged,
/// whoever wrote it (this process or another).
final class DecodedCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (body: Data, value: Value)]>([:])

    /// The value of `body` stored under `key`: the cached one when `body` is the same bytes,
    /// else `decode(body)`, cached.
    func value(_ key: String, body: Data, decode: (Data) throws -> Value) rethrows -> Value {
        if let cached = entries.withLock({ $0[key] }), cached.body == body { return cached.value }
        let value = try decode(body)
        entries.withLock { $0[key] = (body, value) }
        return value
    }

    /// Forgets `key` (its record was removed).
    func forget(_ key: String) {
        entries.withLock { _ = $0.removeValue(forKey: key) }
    }
}
