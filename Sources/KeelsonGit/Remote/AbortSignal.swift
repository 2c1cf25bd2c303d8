import Synchronization

/// Set from any thread when a network operation must stop; libgit2's callbacks poll it.
final class AbortSignal: Sendable {
    enum Reason: UInt8 {
        case none, cancelled, timedOut
    }

    private let state = Atomic<UInt8>(Reason.none.rawValue)

    /// Records the first reason only; later calls keep it.
    func abort(_ reason: Reason) {
        _ = state.compareExchange(expected: Reason.none.rawValue, desired: reason.rawValue, ordering: .relaxed)
    }

    var reason: Reason { Reason(rawValue: state.load(ordering: .relaxed)) ?? .none }
}
