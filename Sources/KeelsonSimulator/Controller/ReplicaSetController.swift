import KeelsonKubernetes

/// The ReplicaSet controller: creates and deletes pods so each ReplicaSet owns `replicas` of them, and deletes
/// pods whose ReplicaSet is gone (the garbage collector's part).
///
/// Simplified from upstream `pkg/controller/replicaset/replica_set.go`: pods are created and deleted at once (no
/// slow-start batches, no graceful termination), and the deletion order is upstream's `ActivePodsWithRanks` without
/// the node, deletion-cost and logarithmic-bucket rules: pending before running, not ready before ready, ready for
/// the shortest time first, most restarts first, newest first, then by name.
public enum ReplicaSetController {
    /// Runs one sync of every ReplicaSet, in namespace and name order.
    ///
    /// - Parameters:
    ///   - replicaSets: The ReplicaSets of one Deployment (pods are found by a scan of `pods`
    ///     for each, which beats hashing for the handful one Deployment has).
    ///   - pods: Their pods.
    ///   - now: The time of the sync.
    ///   - nextPodSerial: The serial that names the next pod; advanced by each creation.
    /// - Returns: The pods after the sync and the events.
    public static func sync(
        replicaSets: [ReplicaSet], pods: [Pod], now: Time, nextPodSerial: inout Int
    ) -> (pods: [Pod], events: [Event]) {
        var events: [Event] = []
        var result: [Pod] = []
        for replicaSet in replicaSets.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
            var owned = pods.filter { $0.namespace == replicaSet.namespace && $0.owner == replicaSet.name }
            let diff = owned.count - replicaSet.spec.replicas
            if diff < 0 {
                for _ in 0 ..< -diff {
                    let pod = Pod(
                        name: "\(replicaSet.name)-\(podSuffix(nextPodSerial))", of: replicaSet, createdAt: now)
                    nextPodSerial += 1
                    owned.append(pod)
                    events.append(event(replicaSet, now, "SuccessfulCreate", "Created pod: \(pod.name)"))
                }
            } else if diff > 0 {
                owned.sort(by: deletedFirst)
                for pod in owned.prefix(diff) {
                    events.append(event(replicaSet, now, "SuccessfulDelete", "Deleted pod: \(pod.name)"))
                }
                owned.removeFirst(diff)
            }
            result += owned
        }
        // What is left has no ReplicaSet: the garbage collector removes it, silently as upstream.
        return (result.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }, events)
    }

    /// Pod status counts for each ReplicaSet (the status half of upstream `syncReplicaSet`).
    ///
    /// - Returns: `replicaSets` with `status` recomputed from `pods` at `now`. Every pod carries
    ///   its ReplicaSet's labels, so all are fully labelled.
    public static func updateStatuses(_ replicaSets: [ReplicaSet], pods: [Pod], now: Time) -> [ReplicaSet] {
        replicaSets.map { replicaSet in
            var replicaSet = replicaSet
            var status = ReplicaSetStatus()
            for pod in pods where pod.namespace == replicaSet.namespace && pod.owner == replicaSet.name {
                status.replicas += 1
                status.fullyLabeledReplicas += 1
                if pod.isReady { status.readyReplicas += 1 }
                if pod.isAvailable(minReadySeconds: replicaSet.spec.minReadySeconds, at: now) {
                    status.availableReplicas += 1
                }
            }
            replicaSet.status = status
            return replicaSet
        }
    }

    /// Whether `lhs` should be deleted before `rhs` when scaling down.
    static func deletedFirst(_ lhs: Pod, _ rhs: Pod) -> Bool {
        if lhs.status.phase != rhs.status.phase { return lhs.status.phase == .pending }
        if lhs.isReady != rhs.isReady { return !lhs.isReady }
        if let left = lhs.readySince, let right = rhs.readySince, left != right { return left > right }
        if lhs.restartCount != rhs.restartCount { return lhs.restartCount > rhs.restartCount }
        if lhs.createdAt != rhs.createdAt { return lhs.createdAt > rhs.createdAt }
        return lhs.name < rhs.name
    }

    /// Five characters from upstream's safe alphabet, unique for the first 27⁵ pods, in place of the random suffix
    /// of `generateName`.
    static func podSuffix(_ serial: Int) -> String {
        var value = serial
        var characters: [Character] = []
        for _ in 0..<5 {
            characters.append(PodTemplateHash.alphabet[value % PodTemplateHash.alphabet.count])
            value /= PodTemplateHash.alphabet.count
        }
        return String(characters.reversed())
    }

    private static func event(_ replicaSet: ReplicaSet, _ now: Time, _ reason: String, _ message: String)
        -> Event
    {
        Event(
            about: ReplicaSet.kind, namespace: replicaSet.namespace, name: replicaSet.name, reason: reason,
            message: message, at: now)
    }
}
