import KeelsonKubernetes

/// What can go wrong when acting on the simulated cluster.
public enum SimulatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No Deployment has this name.
    case deploymentNotFound(namespace: String, name: String)
    /// No ReplicaSet of the Deployment has this rollout revision.
    case revisionNotFound(deployment: String, revision: Int)
    /// `rollout undo` found no previous revision.
    case noPreviousRevision(deployment: String)
    /// A paused Deployment cannot be rolled back.
    case rollbackOfPausedDeployment(deployment: String)
    /// The pod template has no container of this name.
    case containerNotFound(container: String, available: [String])
    /// No pod has this name.
    case podNotFound(namespace: String, name: String)
    /// A row of the cluster's file that an upgrade could not rewrite: which, and why.
    case unreadableRow(String, String)

    public var description: String {
        switch self {
        case .deploymentNotFound(let namespace, let name):
            "deployment \"\(name)\" not found in namespace \"\(namespace)\""
        case .revisionNotFound(let deployment, let revision):
            "deployment \"\(deployment)\" has no revision \(revision); see its ReplicaSets for the revisions it keeps"
        case .noPreviousRevision(let deployment):
            "deployment \"\(deployment)\" has no previous revision to roll back to"
        case .rollbackOfPausedDeployment(let deployment):
            "deployment \"\(deployment)\" is paused; resume it before rolling back"
        case .containerNotFound(let container, let available):
            "no container \"\(container)\" in the pod template; containers: \(available.joined(separator: ", "))"
        case .podNotFound(let namespace, let name):
            "pod \"\(name)\" not found in namespace \"\(namespace)\""
        case .unreadableRow(let row, let problem):
            "cannot upgrade \(row): \(problem); nothing was changed"
        }
    }
}
