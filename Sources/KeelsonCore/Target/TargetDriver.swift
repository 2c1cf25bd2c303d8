import KeelsonKubernetes

/// Where applications run: the seam through which the reconciler reads live state and changes it.
/// The simulated cluster implements it; a Kubernetes API driver can implement it without the
/// reconciler changing.
///
/// The contract every driver keeps:
/// - **Tracking.** Every object applied for an application is recorded as that application's
///   (`keelson.dev/application`), with the content hash of what was applied
///   (`keelson.dev/applied-hash`), so drift shows as a live object whose spec no longer matches.
///   ``liveObjects(of:)`` returns exactly the objects tracked to the application.
/// - **Idempotent.** Applying what is already there reports ``AppliedObject/Change/unchanged`` and
///   starts no rollout; deleting what is absent is not an error.
/// - **Conflicts.** An object tracked to another application is never taken over: the call throws
///   ``TargetError/ownedByAnotherApplication(_:owner:)`` and changes nothing.
/// - **All or nothing, durable.** When `apply` or `delete` returns, every change is durable; when
///   it throws, none was made (a driver for a target without transactions validates everything
///   first and says in its errors which objects were done).
/// - **Namespaces.** Namespaced objects without a namespace get the call's namespace.
public protocol TargetDriver: Sendable {
    /// The objects tracked to `application`, as the target reports them now.
    func liveObjects(of application: String) async throws -> [LiveObject]

    /// The objects tracked to each of `applications`, read at once: a pass over every application
    /// asks once. The default asks ``liveObjects(of:)-(String)`` per application; drivers that
    /// can read everything in one go should.
    func liveObjects(of applications: [String]) async throws -> [String: [LiveObject]]

    /// Creates or updates `objects` as `application`'s, shaped like server-side apply: the desired
    /// object in full, owned by `fieldManager`.
    ///
    /// - Returns: what happened to each object, in the order given.
    func apply(_ objects: [KubeObject], for application: String, namespace: String, fieldManager: String)
        async throws -> [AppliedObject]

    /// Deletes objects tracked to `application` (prune).
    func delete(_ keys: [ObjectKey], for application: String) async throws

    /// Where a Deployment's rollout stands.
    func rolloutStatus(of deployment: ObjectKey) async throws -> RolloutStatus

    /// Lets rollouts make progress until `done` holds for the statuses of `deployments` (those that
    /// exist), or `limit` passes; `done` is asked after every step, so a caller can also show
    /// progress from it.
    ///
    /// - Returns: the statuses at the end.
    func followRollouts(
        _ deployments: [ObjectKey], limit: Duration,
        until done: @escaping @Sendable ([ObjectKey: RolloutStatus]) -> Bool
    ) async throws -> [ObjectKey: RolloutStatus]

    /// Rolls a Deployment back to a rollout revision (nil: the previous one), as
    /// `kubectl rollout undo` does.
    func undo(_ deployment: ObjectKey, toRevision revision: Int?) async throws -> RolloutStatus

    /// The newest `limit` events of the target, oldest first.
    func events(limit: Int) async throws -> [TargetEvent]
}

extension TargetDriver {
    /// Asks ``liveObjects(of:)-(String)`` once per application.
    public func liveObjects(of applications: [String]) async throws -> [String: [LiveObject]] {
        var objects: [String: [LiveObject]] = [:]
        for application in applications { objects[application] = try await liveObjects(of: application) }
        return objects
    }
}

/// The annotations through which drivers track what Keelson applied.
public enum TrackingAnnotation {
    public static let application = "keelson.dev/application"
    public static let appliedHash = "keelson.dev/applied-hash"
    /// The `metadata.generation` the last apply produced: a later generation means someone changed the spec.
    public static let appliedGeneration = "keelson.dev/applied-generation"
}
