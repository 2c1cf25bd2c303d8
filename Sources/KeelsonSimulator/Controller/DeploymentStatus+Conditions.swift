import KeelsonKubernetes

/// Upstream's condition helpers (`pkg/controller/deployment/util/deployment_util.go`).
extension DeploymentStatus {
    /// The condition of type `type`, if any (upstream `GetDeploymentCondition`).
    public func condition(_ type: DeploymentCondition.Kind) -> DeploymentCondition? {
        conditions.first { $0.type == type }
    }

    /// Sets a condition as upstream's `SetDeploymentCondition`: no change when status and reason are unchanged,
    /// the old transition time kept when only the reason changes, and the condition moved to the end.
    public mutating func setCondition(_ condition: DeploymentCondition) {
        var condition = condition
        let current = self.condition(condition.type)
        if let current, current.status == condition.status, current.reason == condition.reason { return }
        if let current, current.status == condition.status {
            condition.lastTransitionTime = current.lastTransitionTime
        }
        removeCondition(condition.type)
        conditions.append(condition)
    }

    /// Removes the condition of type `type` (upstream `RemoveDeploymentCondition`).
    public mutating func removeCondition(_ type: DeploymentCondition.Kind) {
        conditions.removeAll { $0.type == type }
    }
}
