import KeelsonKubernetes

/// The arithmetic of a rollout, ported from upstream's `pkg/controller/deployment/util/deployment_util.go`.
///
/// Each function keeps its upstream name in its summary so the two can be read side by side.
public enum RolloutRules {
    /// Resolves `maxSurge` and `maxUnavailable` against the desired replicas in one step
    /// (upstream `ResolveFenceposts`).
    ///
    /// Surge percentages round up and unavailable percentages round down; when both come out as zero, unavailable
    /// becomes 1 so the rollout can still move.
    ///
    /// - Returns: The resolved surge and unavailable pod counts.
    public static func resolveFenceposts(
        maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, desired: Int
    ) -> (surge: Int, unavailable: Int) {
        let surge = maxSurge.scaledValue(of: desired, roundUp: true)
        var unavailable = maxUnavailable.scaledValue(of: desired, roundUp: false)
        if surge == 0 && unavailable == 0 {
            unavailable = 1
        }
        return (surge, unavailable)
    }

    /// The pods a rolling Deployment may have unavailable, at most its replicas (upstream `MaxUnavailable`).
    public static func maxUnavailable(_ spec: DeploymentSpec) -> Int {
        guard case .rollingUpdate(let maxSurge, let maxUnavailable) = spec.strategy, spec.replicas != 0 else {
            return 0
        }
        let resolved = resolveFenceposts(maxSurge: maxSurge, maxUnavailable: maxUnavailable, desired: spec.replicas)
        return min(resolved.unavailable, spec.replicas)
    }

    /// The pods a rolling Deployment must keep available; 0 for recreate (upstream `MinAvailable`).
    public static func minAvailable(_ spec: DeploymentSpec) -> Int {
        guard spec.strategy.isRollingUpdate else { return 0 }
        return spec.replicas - maxUnavailable(spec)
    }

    /// The pods a rolling Deployment may run above its replicas; 0 for recreate (upstream `MaxSurge`).
    public static func maxSurge(_ spec: DeploymentSpec) -> Int {
        guard case .rollingUpdate(let maxSurge, let maxUnavailable) = spec.strategy else { return 0 }
        return resolveFenceposts(maxSurge: maxSurge, maxUnavailable: maxUnavailable, desired: spec.replicas).surge
    }

    /// The replicas the new ReplicaSet should have now (upstream `NewRSNewReplicas`).
    ///
    /// A rolling update grows it up to `replicas + maxSurge` pods in total but never beyond `replicas`; recreate
    /// sets it straight to `replicas`.
    ///
    /// - Parameters:
    ///   - spec: The Deployment's spec.
    ///   - allReplicaSets: All of the Deployment's ReplicaSets, the new one included.
    ///   - newReplicaSet: The new ReplicaSet.
    public static func newReplicaSetReplicas(
        _ spec: DeploymentSpec, allReplicaSets: [ReplicaSet], newReplicaSet: ReplicaSet
    ) -> Int {
        switch spec.strategy {
        case .rollingUpdate(let maxSurge, _):
            // Upstream reads maxSurge directly here, without ResolveFenceposts.
            let surge = maxSurge.scaledValue(of: spec.replicas, roundUp: true)
            let currentPodCount = replicaCount(allReplicaSets)
            let maxTotalPods = spec.replicas + surge
            if currentPodCount >= maxTotalPods {
                return newReplicaSet.spec.replicas
            }
            let scaleUpCount = min(maxTotalPods - currentPodCount, spec.replicas - newReplicaSet.spec.replicas)
            return newReplicaSet.spec.replicas + scaleUpCount
        case .recreate:
            return spec.replicas
        }
    }

    /// Whether the new ReplicaSet holds all of the Deployment's replicas, all available (upstream `IsSaturated`).
    public static func isSaturated(_ spec: DeploymentSpec, _ replicaSet: ReplicaSet?) -> Bool {
        guard let replicaSet, let desiredText = replicaSet.annotations[RevisionAnnotations.desiredReplicas],
            let desired = Int(desiredText)
        else { return false }
        return replicaSet.spec.replicas == spec.replicas && desired == spec.replicas
            && replicaSet.status.availableReplicas == spec.replicas
    }

    /// This ReplicaSet's share of a scaling event (upstream `GetProportion`).
    ///
    /// - Parameters:
    ///   - replicaSet: An active ReplicaSet.
    ///   - deployment: The Deployment, with its new spec and last status.
    ///   - replicasToAdd: Replicas to add across all ReplicaSets (negative to remove).
    ///   - replicasAdded: Replicas already handed out to other ReplicaSets.
    /// - Returns: The replicas to add to (or, when negative, remove from) this ReplicaSet.
    public static func proportion(
        of replicaSet: ReplicaSet?, deployment: Deployment, replicasToAdd: Int, replicasAdded: Int
    ) -> Int {
        guard let replicaSet, replicaSet.spec.replicas != 0, replicasToAdd != 0, replicasToAdd != replicasAdded else {
            return 0
        }
        let fraction = replicaSetFraction(replicaSet, deployment: deployment)
        let allowed = replicasToAdd - replicasAdded
        return replicasToAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// How many replicas this ReplicaSet gains or loses when the Deployment is resized mid-rollout
    /// (upstream `getReplicaSetFraction`).
    ///
    /// Its size is scaled by the ratio of the new `replicas + maxSurge` to the one recorded in its `max-replicas`
    /// annotation; without a usable annotation the Deployment's last `status.replicas` is the base, and with no
    /// base at all the ReplicaSet keeps its size.
    public static func replicaSetFraction(_ replicaSet: ReplicaSet, deployment: Deployment) -> Int {
        if deployment.spec.replicas == 0 {
            return -replicaSet.spec.replicas
        }
        let deploymentReplicas = deployment.spec.replicas + maxSurge(deployment.spec)
        var annotatedReplicas = RevisionAnnotations.nonNegativeInteger(replicaSet, RevisionAnnotations.maxReplicas) ?? 0
        if annotatedReplicas == 0 {
            annotatedReplicas = deployment.status.replicas
        }
        if annotatedReplicas == 0 {
            return 0
        }
        let newSize = Double(replicaSet.spec.replicas * deploymentReplicas) / Double(annotatedReplicas)
        // Go's math.Round: halves away from zero, as Swift's default rounding rule.
        return Int(newSize.rounded()) - replicaSet.spec.replicas
    }

    /// Whether all desired pods are updated and available and no old pods run (upstream `DeploymentComplete`).
    public static func deploymentComplete(_ deployment: Deployment, _ newStatus: DeploymentStatus) -> Bool {
        newStatus.updatedReplicas == deployment.spec.replicas && newStatus.replicas == deployment.spec.replicas
            && newStatus.availableReplicas == deployment.spec.replicas
            && newStatus.observedGeneration >= deployment.generation
    }

    /// Whether the new status shows progress over the Deployment's last one: more updated, ready or available pods,
    /// or fewer old pods (upstream `DeploymentProgressing`).
    public static func deploymentProgressing(_ deployment: Deployment, _ newStatus: DeploymentStatus) -> Bool {
        let oldStatus = deployment.status
        let oldStatusOldReplicas = oldStatus.replicas - oldStatus.updatedReplicas
        let newStatusOldReplicas = newStatus.replicas - newStatus.updatedReplicas
        return newStatus.updatedReplicas > oldStatus.updatedReplicas || newStatusOldReplicas < oldStatusOldReplicas
            || newStatus.readyReplicas > oldStatus.readyReplicas
            || newStatus.availableReplicas > oldStatus.availableReplicas
    }

    /// Whether the rollout has made no progress for more than `progressDeadlineSeconds` (upstream
    /// `DeploymentTimedOut`).
    ///
    /// Measured from the Progressing condition's last update; a completed rollout never times out and one that
    /// already timed out stays timed out.
    public static func deploymentTimedOut(
        _ deployment: Deployment, _ newStatus: DeploymentStatus, now: Time
    ) -> Bool {
        guard hasProgressDeadline(deployment.spec), let deadline = deployment.spec.progressDeadlineSeconds,
            let condition = newStatus.condition(.progressing)
        else { return false }
        if condition.reason == DeploymentCondition.Reason.newReplicaSetAvailable { return false }
        if condition.reason == DeploymentCondition.Reason.progressDeadlineExceeded { return true }
        // Upstream: from.Add(delta).Before(now), strictly before.
        return condition.lastUpdateTime.unixSeconds + deadline < now.unixSeconds
    }

    /// Whether the Deployment reports `ProgressDeadlineExceeded` at all (upstream `HasProgressDeadline`):
    /// a deadline is set and is not `Int32.max`.
    public static func hasProgressDeadline(_ spec: DeploymentSpec) -> Bool {
        guard let deadline = spec.progressDeadlineSeconds else { return false }
        return deadline != Int(Int32.max)
    }

    /// Whether old ReplicaSets are cleaned up (upstream `HasRevisionHistoryLimit`): a limit is set and is not
    /// `Int32.max`.
    public static func hasRevisionHistoryLimit(_ spec: DeploymentSpec) -> Bool {
        guard let limit = spec.revisionHistoryLimit else { return false }
        return limit != Int(Int32.max)
    }

    /// The sum of `spec.replicas` (upstream `GetReplicaCountForReplicaSets`).
    public static func replicaCount(_ replicaSets: [ReplicaSet]) -> Int {
        replicaSets.reduce(0) { $0 + $1.spec.replicas }
    }

    /// The sum of `status.replicas` (upstream `GetActualReplicaCountForReplicaSets`).
    public static func actualReplicaCount(_ replicaSets: [ReplicaSet]) -> Int {
        replicaSets.reduce(0) { $0 + $1.status.replicas }
    }

    /// The sum of `status.readyReplicas` (upstream `GetReadyReplicaCountForReplicaSets`).
    public static func readyReplicaCount(_ replicaSets: [ReplicaSet]) -> Int {
        replicaSets.reduce(0) { $0 + $1.status.readyReplicas }
    }

    /// The sum of `status.availableReplicas` (upstream `GetAvailableReplicaCountForReplicaSets`).
    public static func availableReplicaCount(_ replicaSets: [ReplicaSet]) -> Int {
        replicaSets.reduce(0) { $0 + $1.status.availableReplicas }
    }
}
