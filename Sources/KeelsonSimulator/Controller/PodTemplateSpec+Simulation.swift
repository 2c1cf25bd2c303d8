import KeelsonKubernetes

extension PodTemplateSpec {
    /// Seconds from creation until a healthy pod of this template is ready: the slowest container's probe delay.
    var readinessDelaySeconds: Int { containers.map(\.readinessDelaySeconds).max() ?? 0 }
}
