import KeelsonCore
import KeelsonKubernetes
import KeelsonManifests
import Synchronization

/// A driver that forwards to another, counting the live reads (bulk: every application at once,
/// and single) and refusing every apply when asked to, as a target that rejects the objects would.
final class InstrumentedDriver: TargetDriver {
    let inner: any TargetDriver
    let reads = Mutex((bulk: 0, single: 0))
    let refusesApplies: Bool

    init(_ inner: any TargetDriver, refusingApplies: Bool = false) {
        self.inner = inner
        self.refusesApplies = refusingApplies
    }

    func liveObjects(of application: String) async throws -> [LiveObject] {
        reads.withLock { $0.single += 1 }
        return try await inner.liveObjects(of: application)
    }

    func liveObjects(of applications: [String]) async throws -> [String: [LiveObject]] {
        reads.withLock { $0.bulk += 1 }
        return try await inner.liveObjects(of: applications)
    }

    func apply(_ objects: [KubeObject], for application: String, namespace: String, fieldManager: String)
        async throws -> [AppliedObject]
    {
        if refusesApplies {
            throw TargetError.invalid(objects[0].key(defaultNamespace: namespace), reason: "refused by the test")
        }
        return try await inner.apply(objects, for: application, namespace: namespace, fieldManager: fieldManager)
    }

    func delete(_ keys: [ObjectKey], for application: String) async throws {
        try await inner.delete(keys, for: application)
    }

    func rolloutStatus(of deployment: ObjectKey) async throws -> RolloutStatus {
        try await inner.rolloutStatus(of: deployment)
    }

    func followRollouts(
        _ deployments: [ObjectKey], limit: Duration,
        until done: @escaping @Sendable ([ObjectKey: RolloutStatus]) -> Bool
    ) async throws -> [ObjectKey: RolloutStatus] {
        try await inner.followRollouts(deployments, limit: limit, until: done)
    }

    func undo(_ deployment: ObjectKey, toRevision revision: Int?) async throws -> RolloutStatus {
        try await inner.undo(deployment, toRevision: revision)
    }

    func events(limit: Int) async throws -> [TargetEvent] { try await inner.events(limit: limit) }
}
