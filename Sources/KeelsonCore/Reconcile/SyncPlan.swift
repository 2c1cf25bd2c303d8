import KeelsonKubernetes

/// What a sync changes: objects to apply, objects to prune, and what it leaves alone and why.
public struct SyncPlan: Sendable {
    /// Missing and changed objects, and drifted ones when self-heal is on or a person asked.
    public let apply: [KubeObject]
    /// Live objects no longer in git, when prune is on.
    public let prune: [ObjectKey]
    /// Drifted objects left alone (self-heal off).
    public let drifted: [LiveComparison.Entry]
    /// Objects no longer in git that stay (prune off, or refused on an empty render).
    public let kept: [ObjectKey]
    /// Set when prune was refused because git renders nothing.
    public let pruneRefusal: String?

    /// - Parameters:
    ///   - heal: apply drifted objects (self-heal, or a person syncing).
    ///   - prune: delete objects no longer in git.
    ///   - allowEmpty: prune even when git renders nothing at all.
    public init(_ comparison: LiveComparison, heal: Bool, prune: Bool, allowEmpty: Bool) {
        let entries = comparison.entries
        apply = entries.filter { $0.state == .missing || $0.state == .changed || ($0.state == .drifted && heal) }
            .compactMap(\.desired)
        drifted = heal ? [] : entries.filter { $0.state == .drifted }
        let extra = entries.filter { $0.state == .extra }.map(\.key)
        let rendersNothing = entries.allSatisfy { $0.state == .extra }
        if prune, rendersNothing, !extra.isEmpty, !allowEmpty {
            pruneRefusal =
                "git renders no objects: refusing to prune \(extra.count == 1 ? "the only live object" : "all \(extra.count) live objects") "
                + "(sync with --allow-empty if that is meant)"
        } else {
            pruneRefusal = nil
        }
        self.prune = prune && pruneRefusal == nil ? extra : []
        kept = prune && pruneRefusal == nil ? [] : extra
    }

    /// Whether the sync would change nothing.
    public var isEmpty: Bool { apply.isEmpty && prune.isEmpty }
}
