import KeelsonCore
import KeelsonKubernetes
import KeelsonManifests
import Testing

@testable import KeelsonSimulator

/// One cluster file shared by processes: two actors over one file stand in for two processes, as
/// each keeps its own snapshot and the store's revision decides.
struct SharedClusterTests {
    @Test func changesFromAStaleActorAreMadeOnTopOfTheOthers() async throws {
        let store = try SimulatedClusterTests.StorePath()
        let first = try SimulatedCluster(path: store.path)
        let second = try SimulatedCluster(path: store.path)
        for round in 1...4 {
            try await first.apply(Fixtures.spec(replicas: round, image: "a:\(round)", readinessDelay: 1), name: "a")
            try await second.apply(Fixtures.spec(replicas: round, image: "b:\(round)", readinessDelay: 1), name: "b")
            try await first.advance(seconds: 2)
            try await second.scale("a", replicas: round + 1)
            _ = try await second.advance(maxSeconds: 3) { _ in false }
        }
        let stored = try await SimulatedCluster(path: store.path).snapshot
        #expect(stored.now.secondsSinceClusterEpoch == 4 * 5)
        #expect(stored.deployment("a")?.spec.replicas == 5)
        #expect(stored.deployment("a")?.spec.template.images == ["a:4"])
        #expect(stored.deployment("b")?.spec.template.images == ["b:4"])
        #expect(try await first.snapshot == stored)
        #expect(try await second.snapshot == stored)
    }

    @Test func concurrentChangesFromTwoActorsAreAllKept() async throws {
        let store = try SimulatedClusterTests.StorePath()
        let actors = [try SimulatedCluster(path: store.path), try SimulatedCluster(path: store.path)]
        let rounds = 50
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, cluster) in actors.enumerated() {
                group.addTask {
                    for round in 1...rounds {
                        try await cluster.apply(
                            Fixtures.spec(replicas: round % 3 + 1, image: "app\(index):\(round)"), name: "app\(index)")
                        try await cluster.advance(seconds: 1)
                    }
                }
            }
            try await group.waitForAll()
        }
        let stored = try await SimulatedCluster(path: store.path).snapshot
        #expect(stored.now.secondsSinceClusterEpoch == 2 * rounds, "no second lost")
        for index in actors.indices {
            #expect(stored.deployment("app\(index)")?.spec.template.images == ["app\(index):\(rounds)"])
            #expect(try await actors[index].snapshot == stored)
        }
    }

    @Test func aChangeIsJudgedAgainstTheLatestState() async throws {
        let store = try SimulatedClusterTests.StorePath()
        let first = try SimulatedCluster(path: store.path)
        try await SimulatedClusterTests.rolledOut(first)
        let second = try SimulatedCluster(path: store.path)
        let victim = try #require(try await first.snapshot.pods(of: "web").first)
        try await first.killPod(victim.name)
        await #expect(throws: SimulatorError.podNotFound(namespace: "default", name: victim.name)) {
            try await second.killPod(victim.name)
        }
        #expect(try await first.removeFault(image: "web:1") == false)
        try await second.addFault(.neverReady, image: "web:1")
        #expect(try await first.removeFault(image: "web:1"))
        #expect(try await second.snapshot.faults.faultsByImage.isEmpty)
    }

    @Test func aReaderSeesTheOthersWrites() async throws {
        let store = try SimulatedClusterTests.StorePath()
        let reader = try SimulatedCluster(path: store.path)
        #expect(try await reader.snapshot == SimCluster())
        // The reader's index of what each application tracks is built here, empty…
        #expect(try await SimulatedClusterDriver(cluster: reader).liveObjects(of: "storefront").isEmpty)
        let writer = SimulatedClusterDriver(cluster: try SimulatedCluster(path: store.path))
        _ = try await writer.apply(
            try SimulatedClusterDriverTests.objects(), for: "storefront", namespace: "shop", fieldManager: "keelson")
        _ = try await writer.cluster.advanceUntilSettled(maxSeconds: 120)
        #expect(try await reader.snapshot == writer.cluster.snapshot)
        #expect(try await reader.storedObjects.map(\.key.name) == ["web"])
        // …and rebuilt once the other process applied.
        let live = try await SimulatedClusterDriver(cluster: reader).liveObjects(of: "storefront")
        #expect(live.count == 2)
        // The reader's own clock steps keep the index; the other's reset empties it.
        try await reader.advance(seconds: 5)
        #expect(try await SimulatedClusterDriver(cluster: reader).liveObjects(of: "storefront").count == 2)
        try await writer.cluster.reset()
        #expect(try await reader.snapshot == SimCluster())
        #expect(try await reader.storedObjects.isEmpty)
        #expect(try await SimulatedClusterDriver(cluster: reader).liveObjects(of: "storefront").isEmpty)
    }
}
