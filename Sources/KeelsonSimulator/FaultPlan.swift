/// Which images misbehave, and how.
///
/// Faults are looked up every second, so clearing a fault lets pods that are still running recover.
public struct FaultPlan: Codable, Sendable, Hashable {
    /// Faults by image reference, exactly as written in the pod template.
    public var faultsByImage: [String: PodFault]

    /// Creates a plan.
    public init(faultsByImage: [String: PodFault] = [:]) {
        self.faultsByImage = faultsByImage
    }

    /// The fault that governs a pod running `images`: the first faulty image in container order wins.
    public func fault(forImages images: [String]) -> PodFault? {
        images.lazy.compactMap { faultsByImage[$0] }.first
    }
}
