import KeelsonKubernetes

/// The annotations the deployment controller keeps on Deployments and ReplicaSets, and upstream's helpers for them
/// (`deployment_util.go`: `MaxRevision`, `LastRevision`, `SetNewReplicaSetAnnotations`, `SetReplicasAnnotations`,
/// `ReplicasAnnotationsNeedUpdate`, `SetDeploymentAnnotationsTo`).
public enum RevisionAnnotations {
    /// The rollout revision of a Deployment and of each of its ReplicaSets.
    public static let revision = "deployment.kubernetes.io/revision"
    /// The earlier revisions a ReplicaSet served, comma-separated, kept when a rollback reuses it.
    public static let revisionHistory = "deployment.kubernetes.io/revision-history"
    /// The Deployment's replicas when the ReplicaSet was last scaled.
    public static let desiredReplicas = "deployment.kubernetes.io/desired-replicas"
    /// The Deployment's replicas + maxSurge when the ReplicaSet was last scaled; the base of proportional scaling.
    public static let maxReplicas = "deployment.kubernetes.io/max-replicas"
    /// `kubectl apply`'s bookkeeping, never copied between Deployment and ReplicaSet.
    public static let lastAppliedConfiguration = "kubectl.kubernetes.io/last-applied-configuration"
    /// The deprecated `extensions/v1beta1` rollback request, never copied.
    public static let deprecatedRollbackTo = "deprecated.deployment.rollback.to"

    /// Upstream caps `revision-history` at this many characters (`maxRevHistoryLengthInChars`).
    public static let revisionHistoryLimitInCharacters = 2000

    /// Annotations that belong to one object and are never copied between a Deployment and its ReplicaSets.
    static let notCopied: Set<String> = [
        lastAppliedConfiguration, revision, revisionHistory, desiredReplicas, maxReplicas, deprecatedRollbackTo,
    ]

    /// The highest revision among `replicaSets`; unparsable revisions are skipped (upstream `MaxRevision`).
    public static func maxRevision(_ replicaSets: [ReplicaSet]) -> Int {
        replicaSets.compactMap(\.revision).max().map { max($0, 0) } ?? 0
    }

    /// The second-highest revision among `replicaSets`, the one `rollout undo` returns to (upstream `LastRevision`).
    public static func lastRevision(_ replicaSets: [ReplicaSet]) -> Int {
        var highest = 0
        var second = 0
        for revision in replicaSets.compactMap(\.revision) {
            if revision >= highest {
                second = highest
                highest = revision
            } else if revision > second {
                second = revision
            }
        }
        return second
    }

    /// Brings the new ReplicaSet's annotations up to date (upstream `SetNewReplicaSetAnnotations`).
    ///
    /// Copies the Deployment's own annotations, raises the revision to `newRevision` when it is lower (recording the
    /// old one in `revision-history`, which is what a rollback to this ReplicaSet looks like), and for a ReplicaSet
    /// about to be created sets the desired and max replicas.
    ///
    /// - Returns: Whether any annotation changed.
    @discardableResult
    public static func setNewReplicaSetAnnotations(
        deployment: Deployment, newReplicaSet: inout ReplicaSet, newRevision: Int, exists: Bool,
        historyLimitInCharacters: Int = revisionHistoryLimitInCharacters
    ) -> Bool {
        var changed = copyDeploymentAnnotations(deployment, to: &newReplicaSet)
        let oldRevisionText = newReplicaSet.annotations[revision]
        let oldRevision: Int
        if let oldRevisionText {
            guard let parsed = Int(oldRevisionText) else { return false }
            oldRevision = parsed
        } else {
            oldRevision = 0
        }
        if oldRevision < newRevision {
            newReplicaSet.annotations[revision] = String(newRevision)
            changed = true
        }
        if let oldRevisionText, oldRevision < newRevision {
            let history = newReplicaSet.annotations[revisionHistory] ?? ""
            var oldRevisions = history.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if oldRevisions.first?.isEmpty ?? true {
                newReplicaSet.annotations[revisionHistory] = oldRevisionText
            } else {
                var totalLength = history.count + oldRevisionText.count + 1
                var start = 0
                while totalLength > historyLimitInCharacters && start < oldRevisions.count {
                    totalLength -= oldRevisions[start].count + 1
                    start += 1
                }
                if totalLength <= historyLimitInCharacters {
                    oldRevisions = Array(oldRevisions[start...]) + [oldRevisionText]
                    newReplicaSet.annotations[revisionHistory] = oldRevisions.joined(separator: ",")
                }
            }
        }
        if !exists {
            let replicas = deployment.spec.replicas
            if setReplicasAnnotations(
                &newReplicaSet, desiredReplicas: replicas,
                maxReplicas: replicas + RolloutRules.maxSurge(deployment.spec))
            {
                changed = true
            }
        }
        return changed
    }

    /// Records the Deployment's desired and max replicas on a ReplicaSet (upstream `SetReplicasAnnotations`).
    ///
    /// - Returns: Whether either annotation changed.
    @discardableResult
    public static func setReplicasAnnotations(
        _ replicaSet: inout ReplicaSet, desiredReplicas: Int, maxReplicas: Int
    ) -> Bool {
        var updated = false
        if replicaSet.annotations[self.desiredReplicas] != String(desiredReplicas) {
            replicaSet.annotations[self.desiredReplicas] = String(desiredReplicas)
            updated = true
        }
        if replicaSet.annotations[self.maxReplicas] != String(maxReplicas) {
            replicaSet.annotations[self.maxReplicas] = String(maxReplicas)
            updated = true
        }
        return updated
    }

    /// Whether ``setReplicasAnnotations(_:desiredReplicas:maxReplicas:)`` would change anything
    /// (upstream `ReplicasAnnotationsNeedUpdate`).
    public static func replicasAnnotationsNeedUpdate(
        _ replicaSet: ReplicaSet, desiredReplicas: Int, maxReplicas: Int
    ) -> Bool {
        replicaSet.annotations[self.desiredReplicas] != String(desiredReplicas)
            || replicaSet.annotations[self.maxReplicas] != String(maxReplicas)
    }

    /// Replaces the Deployment's own annotations with the ReplicaSet's, as a rollback to it does
    /// (upstream `SetDeploymentAnnotationsTo`).
    public static func setDeploymentAnnotations(_ deployment: inout Deployment, to replicaSet: ReplicaSet) {
        deployment.annotations = deployment.annotations.filter { notCopied.contains($0.key) }
        for (key, value) in replicaSet.annotations where !notCopied.contains(key) {
            deployment.annotations[key] = value
        }
    }

    /// A non-negative integer annotation, or `nil` when missing or malformed
    /// (upstream `getNonNegativeInt32FromAnnotation`).
    static func nonNegativeInteger(_ replicaSet: ReplicaSet, _ key: String) -> Int? {
        guard let text = replicaSet.annotations[key], let value = Int(text), value >= 0,
            value <= Int(Int32.max), text.allSatisfy(\.isASCIIDigit)
        else { return nil }
        return value
    }

    private static func copyDeploymentAnnotations(_ deployment: Deployment, to replicaSet: inout ReplicaSet)
        -> Bool
    {
        var changed = false
        for (key, value) in deployment.annotations.sorted(by: { $0.key < $1.key })
        where !notCopied.contains(key) && replicaSet.annotations[key] != value {
            replicaSet.annotations[key] = value
            changed = true
        }
        return changed
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
