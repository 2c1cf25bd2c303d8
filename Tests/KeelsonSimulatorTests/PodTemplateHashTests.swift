import Testing

@testable import KeelsonSimulator

/// The pod-template hash: FNV-1a 32 as Go's `hash/fnv`, rendered as upstream's `rand.SafeEncodeString`.
struct PodTemplateHashTests {
    // Published FNV-1a 32 test vectors.
    @Test(arguments: [("", UInt32(0x811c_9dc5)), ("a", 0xe40c_292c), ("foobar", 0xbf9c_f968)])
    func TestFNV1a32(input: String, expected: UInt32) {
        var hash = FNV1a32()
        hash.update(Array(input.utf8))
        #expect(hash.value == expected)
    }

    /// Digits map onto the safe alphabet as upstream: '0' → '4', '6' → 'b', '9' → 'f'.
    @Test func TestSafeEncodeString() {
        #expect(PodTemplateHash.safeEncode("0123456789") == "456789bcdf")
    }

    /// Equal templates hash equally; another template or a collision count changes the hash.
    @Test func TestComputeHash() {
        let template = Fixtures.template("web:1")
        let hash = PodTemplateHash.compute(template, collisionCount: nil)
        #expect(hash == PodTemplateHash.compute(Fixtures.template("web:1"), collisionCount: nil))
        #expect(hash != PodTemplateHash.compute(Fixtures.template("web:2"), collisionCount: nil))
        #expect(hash != PodTemplateHash.compute(template, collisionCount: 1))
        #expect(
            PodTemplateHash.compute(template, collisionCount: 1) != PodTemplateHash.compute(template, collisionCount: 2)
        )
        #expect(hash.allSatisfy { PodTemplateHash.alphabet.contains($0) })
    }
}
