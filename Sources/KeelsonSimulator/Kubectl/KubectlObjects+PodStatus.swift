import KeelsonKubernetes

extension KubectlObjects {
    /// A pod's `status`: phase, the kubelet's conditions and one status per container.
    static func podStatus(_ pod: SimPod, _ state: KubectlPodState) -> JSONValue {
        let created = pod.createdAt.wallClock.json
        let readyTransition = (pod.readySince ?? pod.createdAt).wallClock.json
        let notReady: (reason: JSONValue, message: JSONValue)? =
            pod.isReady
            ? nil
            : (
                .string("ContainersNotReady"),
                .string("containers with unready status: [\(state.containerNames.joined(separator: " "))]")
            )
        func condition(_ type: String, ready: Bool, since: JSONValue, unready: Bool) -> JSONValue {
            object([
                ("lastProbeTime", .null),
                ("lastTransitionTime", since),
                ("message", unready ? notReady?.message : nil),
                ("reason", unready ? notReady?.reason : nil),
                ("status", .string(ready ? "True" : "False")),
                ("type", .string(type)),
            ])
        }
        let containerStatuses = zip(state.containerNames, state.images).map { name, image in
            object([
                ("image", .string(image)),
                ("lastState", lastState(state)),
                ("name", .string(name)),
                ("ready", .bool(pod.isReady)),
                ("restartCount", .int(pod.restartCount)),
                ("started", .bool(state.waitingReason == nil)),
                ("state", containerState(pod, state)),
            ])
        }
        return object([
            (
                "conditions",
                .array([
                    condition("Initialized", ready: true, since: created, unready: false),
                    condition("Ready", ready: pod.isReady, since: readyTransition, unready: true),
                    condition("ContainersReady", ready: pod.isReady, since: readyTransition, unready: true),
                    condition("PodScheduled", ready: true, since: created, unready: false),
                ])
            ),
            ("containerStatuses", .array(containerStatuses)),
            ("phase", .string(pod.phase.rawValue)),
            ("startTime", created),
        ])
    }

    private static func containerState(_ pod: SimPod, _ state: KubectlPodState) -> JSONValue {
        if let reason = state.waitingReason {
            return object([("waiting", object([("reason", .string(reason))]))])
        }
        return object([("running", object([("startedAt", pod.createdAt.wallClock.json)]))])
    }

    private static func lastState(_ state: KubectlPodState) -> JSONValue {
        guard let lastRestart = state.lastRestart else { return object([]) }
        return object([
            (
                "terminated",
                object([
                    ("exitCode", .int(1)),
                    ("finishedAt", lastRestart.wallClock.json),
                    ("reason", .string("Error")),
                ])
            )
        ])
    }
}
