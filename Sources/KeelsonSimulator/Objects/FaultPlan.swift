#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Which images misbehave, and how.
///
/// Faults are looked up every second, so clearing a fault lets pods that are still running recover.
public struct FaultPlan: Codable, Sendable, Hashable {
    /// Faults by image reference as written in the pod template, or by a shell-style pattern
    /// (`registry.example.com/shop/*:2.*`; `*`, `?` and `[…]` as in `fnmatch(3)`).
    public var faultsByImage: [String: PodFault]

    /// Creates a plan.
    public init(faultsByImage: [String: PodFault] = [:]) {
        self.faultsByImage = faultsByImage
    }

    /// The fault that governs a pod running `images`: the first faulty image in container order wins; for one
    /// image an exact entry wins over patterns, and patterns are tried in sorted order.
    public func fault(forImages images: [String]) -> PodFault? {
        images.lazy.compactMap { image in
            faultsByImage[image]
                ?? patterns.first { fnmatch($0.pattern, image, 0) == 0 }?.fault
        }.first
    }

    private var patterns: [(pattern: String, fault: PodFault)] {
        faultsByImage.filter { $0.key.contains(where: { "*?[".contains($0) }) }.sorted { $0.key < $1.key }
            .map { ($0.key, $0.value) }
    }
}
