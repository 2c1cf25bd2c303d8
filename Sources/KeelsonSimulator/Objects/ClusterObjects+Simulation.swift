import KeelsonKubernetes

extension Deployment {
    /// A Deployment of the cluster, by default as an apply creates it: generation 1, an empty status.
    init(
        name: String, namespace: String = "default", spec: DeploymentSpec, annotations: [String: String] = [:],
        labels: [String: String] = [:], generation: Int = 1, status: DeploymentStatus = DeploymentStatus(),
        createdAt: Time = .clusterEpoch
    ) {
        self.init(
            metadata: ObjectMeta(
                name: name, namespace: namespace, labels: labels, annotations: annotations, generation: generation,
                creationTimestamp: createdAt),
            spec: spec, status: status)
    }

    /// Moved by every change of ``spec``; the controller reports what it saw in
    /// `status.observedGeneration`.
    public var generation: Int {
        get { metadata.generation ?? 1 }
        set { metadata.generation = newValue }
    }

    /// The rollout revision from `deployment.kubernetes.io/revision`, or nil before the first sync.
    public var revision: Int? { metadata.annotations[RevisionAnnotations.revision].flatMap { Int($0) } }
}

extension ReplicaSet {
    /// A ReplicaSet as the deployment controller makes one for `owner`: named, labelled and
    /// selected by `podTemplateHash`, owned by its Deployment.
    ///
    /// - Parameter template: The Deployment's template, without the hash label.
    init(
        name: String, namespace: String = "default", owner: String, podTemplateHash: String, template: PodTemplateSpec,
        replicas: Int, minReadySeconds: Int = 0, annotations: [String: String] = [:], createdAt: Time,
        status: ReplicaSetStatus = ReplicaSetStatus()
    ) {
        let labelled = template.settingLabel(PodTemplateSpec.hashLabel, to: podTemplateHash)
        self.init(
            metadata: ObjectMeta(
                name: name, namespace: namespace, labels: labelled.labels, annotations: annotations,
                creationTimestamp: createdAt,
                ownerReferences: [OwnerReference(apiVersion: Deployment.apiVersion, kind: Deployment.kind, name: owner)]
            ),
            spec: ReplicaSetSpec(
                replicas: replicas, minReadySeconds: minReadySeconds,
                selector: LabelSelector(matchLabels: labelled.labels), template: labelled),
            status: status)
    }

    /// The `pod-template-hash` label.
    public var podTemplateHash: String { metadata.labels[PodTemplateSpec.hashLabel] ?? "" }

    /// The rollout revision: 0 without the annotation, nil when it does not parse (upstream `Revision`).
    public var revision: Int? {
        guard let text = metadata.annotations[RevisionAnnotations.revision] else { return 0 }
        return Int(text)
    }
}

extension Pod {
    /// A pod as a ReplicaSet creates it: its template's labels and spec, owned by the ReplicaSet,
    /// pending until the kubelet starts it.
    init(name: String, of replicaSet: ReplicaSet, createdAt: Time) {
        let template = replicaSet.spec.template
        self.init(
            metadata: ObjectMeta(
                name: name, generateName: "\(replicaSet.name)-", namespace: replicaSet.namespace,
                labels: template.labels, creationTimestamp: createdAt,
                ownerReferences: [
                    OwnerReference(apiVersion: ReplicaSet.apiVersion, kind: ReplicaSet.kind, name: replicaSet.name)
                ]),
            spec: template.spec)
        status = PodLifecycle.status(of: self, phase: .pending, readySince: nil, restarts: 0, crashLooping: false)
    }

    /// The container images, which fault injection keys on.
    public var images: [String] { spec.images }

    /// Seconds from creation until a healthy pod is ready: the slowest container's probe delay.
    var readinessDelaySeconds: Int { spec.containers.reduce(0) { max($0, $1.readinessDelaySeconds) } }

    /// Since when the pod has been ready; nil while it is not.
    public var readySince: Time? {
        guard let ready = status.condition(PodCondition.ready), ready.status == .true else { return nil }
        return ready.lastTransitionTime
    }

    /// Whether the pod is ready.
    public var isReady: Bool { readySince != nil }

    /// Container restarts so far.
    public var restartCount: Int { status.containerStatuses.reduce(0) { max($0, $1.restartCount) } }

    /// Whether its containers wait in `CrashLoopBackOff`.
    var isCrashLooping: Bool {
        guard case .waiting(let reason)? = status.containerStatuses.first?.state else { return false }
        return reason == PodLifecycle.crashLoopBackOff
    }

    /// Whether the pod has been ready for `minReadySeconds` at `now` (upstream `IsPodAvailable`,
    /// in whole seconds: see ``PodLifecycle``).
    func isAvailable(minReadySeconds: Int, at now: Time) -> Bool {
        guard let readySince else { return false }
        return readySince.adding(minReadySeconds) <= now
    }
}
