/// The 32-bit FNV-1a hash, as Go's `hash/fnv.New32a`.
struct FNV1a32 {
    /// The hash of the bytes so far.
    private(set) var value: UInt32 = 2_166_136_261

    /// Mixes in `bytes`.
    mutating func update(_ bytes: [UInt8]) {
        for byte in bytes {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
    }
}
