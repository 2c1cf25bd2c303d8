import KeelsonKubernetes

/// The `pod-template-hash` label value, computed as upstream's `controller.ComputeHash`.
///
/// Upstream hashes a deep-printed `PodTemplateSpec` with FNV-1a 32; the simulator hashes the template's canonical
/// JSON instead, so the values differ from a real cluster's but have the same shape and the same properties:
/// stable for equal templates, changed by the collision count, and drawn from the same 27-character alphabet.
public enum PodTemplateHash {
    /// Upstream `rand.SafeEncodeString`'s alphabet: no vowels, no `0`, `1` or `3`, so no words by accident.
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// The hash of `template` after `collisionCount` name collisions.
    ///
    /// - Parameters:
    ///   - template: The Deployment's pod template.
    ///   - collisionCount: `status.collisionCount`; `nil` until the first collision.
    /// - Returns: The FNV-1a 32 hash in decimal, each digit mapped onto the safe alphabet.
    public static func compute(_ template: PodTemplateSpec, collisionCount: Int?) -> String {
        var hash = FNV1a32()
        hash.update(template.canonicalJSON)
        if let collisionCount {
            // Upstream writes the count little-endian into an 8-byte buffer but fills only the first 4 bytes.
            let count = UInt32(truncatingIfNeeded: collisionCount)
            hash.update([
                UInt8(truncatingIfNeeded: count), UInt8(truncatingIfNeeded: count >> 8),
                UInt8(truncatingIfNeeded: count >> 16), UInt8(truncatingIfNeeded: count >> 24), 0, 0, 0, 0,
            ])
        }
        return safeEncode(String(hash.value))
    }

    /// Upstream `rand.SafeEncodeString`: each character replaced by `alphabet[scalar % 27]`.
    public static func safeEncode(_ text: String) -> String {
        String(text.unicodeScalars.map { alphabet[Int($0.value) % alphabet.count] })
    }
}
