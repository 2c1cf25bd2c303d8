import KeelsonKubernetes

/// What `kubectl rollout status deployment/<name>` prints for one look at a Deployment, from kubectl's
/// `DeploymentStatusViewer.Status`.
///
/// kubectl ends each message with a newline; ``message`` does not, so callers print it as a line.
public struct RolloutStatusMessage: Sendable, Hashable {
    /// The message, such as `Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are
    /// available...`, or the error text when ``failed`` (kubectl prints it as `error: <message>`).
    public var message: String
    /// Whether the rollout finished: kubectl stops watching and exits 0.
    public var done: Bool
    /// Whether kubectl gives up with an error: the progress deadline passed or the revision is not the one asked for.
    public var failed: Bool

    /// Creates a message.
    public init(message: String, done: Bool, failed: Bool) {
        self.message = message
        self.done = done
        self.failed = failed
    }

    /// The status of `deployment`, as kubectl reports it.
    ///
    /// - Parameters:
    ///   - deployment: The Deployment as last written by the controller.
    ///   - revision: `--revision`: when greater than 0, the revision the Deployment must be at.
    public init(_ deployment: Deployment, revision: Int = 0) {
        let name = deployment.name
        let status = deployment.status
        if revision > 0, revision != deployment.revision ?? 0 {
            self.init(
                message: "desired revision (\(revision)) is different from the running revision "
                    + "(\(deployment.revision ?? 0))",
                done: false, failed: true)
        } else if deployment.generation > status.observedGeneration {
            self.init(message: "Waiting for deployment spec update to be observed...", done: false, failed: false)
        } else if status.condition(.progressing)?.reason == DeploymentCondition.Reason.progressDeadlineExceeded {
            self.init(message: "deployment \"\(name)\" exceeded its progress deadline", done: false, failed: true)
        } else if status.updatedReplicas < deployment.spec.replicas {
            self.init(
                waiting: name,
                "\(status.updatedReplicas) out of \(deployment.spec.replicas) new replicas have been updated...")
        } else if status.replicas > status.updatedReplicas {
            self.init(
                waiting: name, "\(status.replicas - status.updatedReplicas) old replicas are pending termination...")
        } else if status.availableReplicas < status.updatedReplicas {
            self.init(
                waiting: name,
                "\(status.availableReplicas) of \(status.updatedReplicas) updated replicas are available...")
        } else {
            self.init(message: "deployment \"\(name)\" successfully rolled out", done: true, failed: false)
        }
    }

    private init(waiting name: String, _ detail: String) {
        self.init(
            message: "Waiting for deployment \"\(name)\" rollout to finish: \(detail)", done: false, failed: false)
    }
}
