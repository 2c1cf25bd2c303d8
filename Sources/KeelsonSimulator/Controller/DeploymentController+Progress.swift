import KeelsonKubernetes

/// The Progressing condition: upstream `progress.go`.
extension DeploymentController {
    /// Writes the status and, when the Deployment has a progress deadline, the Progressing condition: complete,
    /// progressing (refreshing its update time) or timed out (upstream `syncRolloutStatus`).
    mutating func syncRolloutStatus(all: [ReplicaSet], new: ReplicaSet?) {
        var newStatus = calculateStatus(all: all, new: new)
        let hasDeadline = RolloutRules.hasProgressDeadline(deployment.spec)
        if !hasDeadline {
            newStatus.removeCondition(.progressing)
        }
        let currentCondition = deployment.status.condition(.progressing)
        let isCompleteDeployment =
            newStatus.replicas == newStatus.updatedReplicas
            && currentCondition?.reason == DeploymentCondition.Reason.newReplicaSetAvailable
        if hasDeadline && !isCompleteDeployment {
            let subject = new.map { "ReplicaSet \"\($0.name)\"" } ?? "Deployment \"\(deployment.name)\""
            if RolloutRules.deploymentComplete(deployment, newStatus) {
                newStatus.setCondition(
                    DeploymentCondition(
                        type: .progressing, status: .true, reason: DeploymentCondition.Reason.newReplicaSetAvailable,
                        message: "\(subject) has successfully progressed.", time: now))
            } else if RolloutRules.deploymentProgressing(deployment, newStatus) {
                var condition = DeploymentCondition(
                    type: .progressing, status: .true, reason: DeploymentCondition.Reason.replicaSetUpdated,
                    message: "\(subject) is progressing.", time: now)
                // Unlike other conditions, Progressing is rewritten with the same reason to move its update time.
                if let currentCondition {
                    if currentCondition.status == .true {
                        condition.lastTransitionTime = currentCondition.lastTransitionTime
                    }
                    newStatus.removeCondition(.progressing)
                }
                newStatus.setCondition(condition)
            } else if RolloutRules.deploymentTimedOut(deployment, newStatus, now: now) {
                newStatus.setCondition(
                    DeploymentCondition(
                        type: .progressing, status: .false,
                        reason: DeploymentCondition.Reason.progressDeadlineExceeded,
                        message: "\(subject) has timed out progressing.", time: now))
            }
        }
        deployment.status = newStatus
    }
}
