import Foundation
import KeelsonCore
import Synchronization

/// The resources that have run out, as the daemon's passes and requests find them: while any
/// has, `/readyz` fails and `keelson_resource_exhausted` says which, so that a stall is seen.
/// A pass that succeeds again clears them: it fetched, read and wrote.
final class ResourceHealth: Sendable {
    private let exhausted = Mutex<[ResourceExhaustion: Date]>([:])

    /// `resource` ran out just now (the first time is kept while it lasts).
    func ranOut(_ resource: ResourceExhaustion, at now: Date = Date()) {
        exhausted.withLock { if $0[resource] == nil { $0[resource] = now } }
    }

    /// A pass went through: nothing has run out any more.
    func recovered() {
        exhausted.withLock { $0.removeAll() }
    }

    /// What has run out, and since when.
    var current: [ResourceExhaustion: Date] { exhausted.withLock { $0 } }

    /// Why the daemon is not ready, or nil.
    var problem: String? {
        let current = current
        guard !current.isEmpty else { return nil }
        return current.sorted { $0.value < $1.value }.map { resource, since in
            "since \(since.formatted(.iso8601)): \(resource)"
        }.joined(separator: "\n")
    }
}
