import Foundation
import KeelsonCore
import KeelsonKubernetes
import KeelsonManifests
import Testing
import Yams

/// The pure layers read from fixture files, one case a file named after its rule, as
/// gitops-engine's `pkg/health/testdata`: `Fixtures/comparison` for ``LiveComparison`` and
/// ``SyncPlan`` (git's manifests, the target's objects, the states and the plan expected), and
/// `Fixtures/health` for ``HealthRule`` and ``RolloutVerdict``.
struct PureLayerFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func cases(_ kind: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(kind).path))
        return (names ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static func load(_ kind: String, _ name: String) throws -> [String: Any] {
        let text = try String(
            contentsOf: folder.appendingPathComponent(kind).appendingPathComponent(name), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any], "\(name) is not a mapping")
    }

    static func json(_ value: Any) throws -> JSONValue {
        try JSONValue(json: Array(JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed)))
    }

    /// The identity a live body gives itself (`apps/v1` is group `apps`, `v1` the core group).
    static func key(of body: JSONValue) -> ObjectKey {
        ObjectKey(
            group: (body["apiVersion"]?.stringValue ?? "").split(separator: "/").dropLast().joined(),
            kind: body["kind"]?.stringValue ?? "", namespace: body["metadata"]?["namespace"]?.stringValue,
            name: body["metadata"]?["name"]?.stringValue ?? "")
    }

    @Test func everyFolderHasCases() {
        #expect(Self.cases("comparison").count >= 10)
        #expect(Self.cases("health").count >= 10)
    }

    @Test(arguments: cases("comparison"))
    func comparison(_ name: String) throws {
        let fixture = try Self.load("comparison", name)
        let desired = try ManifestRenderer().render(
            [ManifestFile(path: "app.yaml", text: fixture["desired"] as? String ?? "")]
        ).objects
        let namespace = "shop"
        let hashes = Dictionary(
            desired.map { (LiveComparison.targetKey($0, namespace: namespace), $0.contentHash) },
            uniquingKeysWith: { $1 })
        let live = try (fixture["live"] as? [[String: Any]] ?? []).map { entry in
            let body = try Self.json(try #require(entry["body"]))
            let key = Self.key(of: body)
            let appliedHash: String? =
                switch entry["applied"] as? String {
                case "this": hashes[key]
                case "earlier": "an earlier version's hash"
                default: nil
                }
            return LiveObject(
                key: key, application: "web", appliedHash: appliedHash, body: body, rollout: nil,
                unchangedSinceApplied: entry["unchangedSinceApplied"] as? Bool)
        }
        let comparison = LiveComparison(desired: desired, live: live, namespace: namespace)

        let expected = try #require(fixture["expect"] as? [String: [String: Any]])
        #expect(Set(comparison.entries.map(\.key.description)) == Set(expected.keys), "\(name)")
        for entry in comparison.entries {
            guard let wanted = expected[entry.key.description] else { continue }
            #expect(entry.state.rawValue == wanted["state"] as? String, "\(name): \(entry.key)")
            #expect(
                entry.differences.map(\.path) == (wanted["differences"] as? [String] ?? []),
                "\(name): \(entry.key): \(entry.differences)")
        }

        let plan = fixture["plan"] as? [String: Any] ?? [:]
        let sync = SyncPlan(
            comparison, heal: plan["heal"] as? Bool ?? false, prune: plan["prune"] as? Bool ?? false,
            allowEmpty: false)
        let keys = { (keys: [ObjectKey]) in keys.map(\.description) }
        if let apply = plan["apply"] as? [String] {
            #expect(keys(sync.apply.map { LiveComparison.targetKey($0, namespace: namespace) }) == apply, "\(name)")
        }
        if let pruned = plan["pruned"] as? [String] { #expect(keys(sync.prune) == pruned, "\(name)") }
        if let kept = plan["kept"] as? [String] { #expect(keys(sync.kept) == kept, "\(name)") }
        if let drifted = plan["drifted"] as? [String] { #expect(keys(sync.drifted.map(\.key)) == drifted, "\(name)") }
        #expect((sync.pruneRefusal != nil) == (plan["refused"] as? Bool ?? false), "\(name)")
    }

    @Test(arguments: cases("health"))
    func health(_ name: String) throws {
        let fixture = try Self.load("health", name)
        let expected = try #require(fixture["expect"] as? [String: Any])
        if let object = fixture["object"] {
            let body = try Self.json(object)
            let key = Self.key(of: body)
            let (health, reason) = HealthRule.health(of: key, live: body)
            #expect(health.rawValue == expected["health"] as? String, "\(name)")
            #expect(reason == expected["reason"] as? String, "\(name)")
            return
        }
        let rollout = try #require(fixture["rollout"] as? [String: Any], "\(name) has neither object nor rollout")
        let phase: RolloutStatus.Phase =
            switch rollout["phase"] as? String {
            case "complete": .complete
            case "paused": .paused
            case "failed": .failed(reason: rollout["reason"] as? String ?? "")
            default: .progressing
            }
        let status = RolloutStatus(
            phase: phase, message: rollout["message"] as? String ?? "", desired: rollout["desired"] as? Int ?? 0,
            updated: rollout["updated"] as? Int ?? 0, ready: rollout["ready"] as? Int ?? 0,
            available: rollout["available"] as? Int ?? 0, revision: 2,
            restartsByPod: rollout["restarts"] as? [String: Int] ?? [:])
        #expect(RolloutVerdict.health(status).rawValue == expected["health"] as? String, "\(name)")
        #expect(RolloutVerdict.isSettled(status) == expected["settled"] as? Bool, "\(name)")
        #expect(RolloutVerdict.failure(status) == expected["failure"] as? String, "\(name)")
    }
}
