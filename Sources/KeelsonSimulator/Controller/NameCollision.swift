import KeelsonKubernetes

/// A new ReplicaSet's name is taken by one with another template; the sync stops and retries with a new hash.
struct NameCollision: Error {
    /// The name that was taken.
    let name: String
}
