/// The condition reasons the deployment controller writes, from upstream's `deployment_util.go`.
public enum SimDeploymentConditionReason {
    /// Progressing: one of the Deployment's ReplicaSets was scaled as part of the rollout.
    public static let replicaSetUpdated = "ReplicaSetUpdated"
    /// Progressing: the controller created the new ReplicaSet.
    public static let newReplicaSetCreated = "NewReplicaSetCreated"
    /// Progressing: the controller found an existing new ReplicaSet and had no Progressing condition yet.
    public static let foundNewReplicaSet = "FoundNewReplicaSet"
    /// Progressing: the rollout completed.
    public static let newReplicaSetAvailable = "NewReplicaSetAvailable"
    /// Progressing: no progress for `progressDeadlineSeconds`.
    public static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
    /// Progressing: the Deployment was paused.
    public static let deploymentPaused = "DeploymentPaused"
    /// Progressing: the Deployment was resumed.
    public static let deploymentResumed = "DeploymentResumed"
    /// Available: at least `replicas - maxUnavailable` pods are available.
    public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
    /// Available: fewer than `replicas - maxUnavailable` pods are available.
    public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"
}
