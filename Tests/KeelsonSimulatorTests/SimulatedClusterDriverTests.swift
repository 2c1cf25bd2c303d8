import KeelsonCore
import KeelsonKubernetes
import KeelsonManifests
import Testing

@testable import KeelsonSimulator

/// The TargetDriver contract, on the simulated cluster.
struct SimulatedClusterDriverTests {
    static func objects(image: String = "registry.example.com/web:1.0.0", replicas: Int = 4) throws -> [KubeObject] {
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations: {team: storefront}
            spec:
              replicas: \(replicas)
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: "\(image)"}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {selector: {app: web}, ports: [{port: 80}]}
            """
        return try ManifestRenderer().render([ManifestFile(path: "apps/web/all.yaml", text: yaml)]).objects
    }

    static func driver() throws -> (SimulatedClusterDriver, SimulatedClusterTests.StorePath) {
        let store = try SimulatedClusterTests.StorePath()
        return (SimulatedClusterDriver(cluster: try SimulatedCluster(path: store.path)), store)
    }

    static let web = ObjectKey(group: "apps", kind: "Deployment", namespace: "shop", name: "web")

    @Test func applyCreatesThenReportsUnchanged() async throws {
        let (driver, store) = try Self.driver()
        let first = try await driver.apply(
            try Self.objects(), for: "storefront", namespace: "shop", fieldManager: "keelson")
        #expect(first.map(\.description) == ["deployment.apps/web created", "service/web created"])
        let again = try await driver.apply(
            try Self.objects(), for: "storefront", namespace: "shop", fieldManager: "keelson")
        #expect(again.map(\.change) == [.unchanged, .unchanged])
        let live = try await driver.liveObjects(of: "storefront")
        #expect(Set(live.map(\.key)) == Set(try Self.objects().map { $0.key(defaultNamespace: "shop") }))
        #expect(Set(live.compactMap(\.appliedHash)) == Set(try Self.objects().map(\.contentHash)))
        #expect(
            live.first { $0.key.kind == "Deployment" }?.body["metadata"]?["annotations"]?["team"]?.stringValue
                == "storefront")
        #expect(try await driver.liveObjects(of: "someone-else").isEmpty)
        let reopened = SimulatedClusterDriver(cluster: try SimulatedCluster(path: store.path))
        #expect(try await reopened.liveObjects(of: "storefront").count == 2)
    }

    @Test func aNewImageRollsOutToCompletion() async throws {
        let (driver, _) = try Self.driver()
        _ = try await driver.apply(try Self.objects(), for: "storefront", namespace: "shop", fieldManager: "keelson")
        _ = try await driver.cluster.advanceUntilSettled(maxSeconds: 120)
        let bumped = try await driver.apply(
            try Self.objects(image: "registry.example.com/web:1.1.0"), for: "storefront", namespace: "shop",
            fieldManager: "keelson")
        #expect(bumped.map(\.change) == [.configured, .unchanged])
        try await driver.cluster.advance(seconds: 1)
        #expect(try await driver.rolloutStatus(of: Self.web).phase == .progressing)
        _ = try await driver.cluster.advanceUntilSettled(maxSeconds: 120)
        let done = try await driver.rolloutStatus(of: Self.web)
        #expect(done.phase == .complete)
        #expect(done.message == #"deployment "web" successfully rolled out"#)
        #expect(done.revision == 2)
        #expect(done.updated == 4 && done.available == 4)
    }

    @Test func anotherApplicationsObjectIsNotTakenAndNothingIsApplied() async throws {
        let (driver, _) = try Self.driver()
        _ = try await driver.apply(try Self.objects(), for: "storefront", namespace: "shop", fieldManager: "keelson")
        let before = try await driver.cluster.snapshot
        let error = await #expect(throws: TargetError.self) {
            try await driver.apply(
                try Self.objects(image: "web:evil"), for: "intruder", namespace: "shop", fieldManager: "keelson")
        }
        #expect(error?.description.contains(#"belongs to application "storefront""#) == true)
        #expect(try await driver.cluster.snapshot == before)
        #expect(try await driver.liveObjects(of: "intruder").isEmpty)
    }

    /// Live reads go through an index of what each application tracks; applies and deletes keep
    /// it current without rebuilding it.
    @Test func liveReadsFollowAppliesAndDeletesOfEachApplication() async throws {
        let (driver, _) = try Self.driver()
        #expect(try await driver.liveObjects(of: "storefront").isEmpty)
        _ = try await driver.apply(try Self.objects(), for: "storefront", namespace: "shop", fieldManager: "keelson")
        #expect(try await driver.liveObjects(of: "storefront").map(\.key.name) == ["web", "web"])
        _ = try await driver.apply(try Self.objects(), for: "blog", namespace: "news", fieldManager: "keelson")
        let both = try await driver.liveObjects(of: ["storefront", "blog"])
        #expect(both["blog"]?.map(\.key.namespace) == ["news", "news"])
        #expect(both["storefront"]?.map(\.key.namespace) == ["shop", "shop"])
        try await driver.delete(
            [Self.web, ObjectKey(group: "", kind: "Service", namespace: "shop", name: "web")], for: "storefront")
        #expect(try await driver.liveObjects(of: "storefront").isEmpty)
        #expect(try await driver.liveObjects(of: "blog").count == 2)
    }

    @Test func deletePrunesAndToleratesAbsentObjects() async throws {
        let (driver, _) = try Self.driver()
        _ = try await driver.apply(try Self.objects(), for: "storefront", namespace: "shop", fieldManager: "keelson")
        _ = try await driver.cluster.advanceUntilSettled(maxSeconds: 120)
        let service = ObjectKey(group: "", kind: "Service", namespace: "shop", name: "web")
        try await driver.delete([Self.web, service], for: "storefront")
        #expect(try await driver.liveObjects(of: "storefront").isEmpty)
        #expect(try await driver.cluster.snapshot.pods.isEmpty)
        try await driver.delete([Self.web], for: "storefront")
    }

    @Test func undoBringsTheOldTemplateBackAsANewRevision() async throws {
        let (driver, _) = try Self.driver()
        _ = try await driver.apply(try Self.objects(), for: "storefront", namespace: "shop", fieldManager: "keelson")
        _ = try await driver.cluster.advanceUntilSettled(maxSeconds: 120)
        _ = try await driver.apply(
            try Self.objects(image: "registry.example.com/web:broken"), for: "storefront", namespace: "shop",
            fieldManager: "keelson")
        _ = try await driver.cluster.advanceUntilSettled(maxSeconds: 120)
        _ = try await driver.undo(Self.web, toRevision: 1)
        _ = try await driver.cluster.advanceUntilSettled(maxSeconds: 120)
        let status = try await driver.rolloutStatus(of: Self.web)
        #expect(status.revision == 3)
        #expect(status.phase == .complete)
        let image = try await driver.cluster.snapshot.deployment("web", namespace: "shop")?.spec.template.images
        #expect(image == ["registry.example.com/web:1.0.0"])
        #expect(try await driver.events(limit: 50).contains { $0.reason == "DeploymentRollback" })
    }

    @Test func unknownDeploymentsAreNotFound() async throws {
        let (driver, _) = try Self.driver()
        await #expect(throws: TargetError.notFound(Self.web)) { try await driver.rolloutStatus(of: Self.web) }
    }
}

/// Review findings on the driver, each pinned by a test.
struct SimulatedClusterDriverContractTests {
    static func render(_ yaml: String) throws -> [KubeObject] {
        try ManifestRenderer().render([ManifestFile(path: "app.yaml", text: yaml)]).objects
    }

    @Test func manifestsCarryingControllerAnnotationsAreStillIdempotent() async throws {
        let (driver, _) = try SimulatedClusterDriverTests.driver()
        let exported = try Self.render(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations: {deployment.kubernetes.io/revision: "7"}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: web:1}]}
            """)
        _ = try await driver.apply(exported, for: "shop", namespace: "default", fieldManager: "keelson")
        let again = try await driver.apply(exported, for: "shop", namespace: "default", fieldManager: "keelson")
        #expect(again.map(\.change) == [.unchanged])
    }

    @Test func anOldAPIVersionDeploymentIsKeyedAndPrunedAsAppsDeployment() async throws {
        let (driver, _) = try SimulatedClusterDriverTests.driver()
        let old = try Self.render(
            """
            apiVersion: extensions/v1beta1
            kind: Deployment
            metadata: {name: legacy}
            spec:
              template:
                metadata: {labels: {app: legacy}}
                spec: {containers: [{name: legacy, image: legacy:1}]}
            """)
        let applied = try await driver.apply(old, for: "shop", namespace: "default", fieldManager: "keelson")
        #expect(applied.map(\.key.group) == ["apps"])
        #expect(try await driver.liveObjects(of: "shop").map(\.key) == applied.map(\.key))
        try await driver.delete([old[0].key(defaultNamespace: "default")], for: "shop")
        #expect(try await driver.liveObjects(of: "shop").isEmpty)
    }

    @Test func pruneLeavesObjectsTrackedToNoOneOrToOthers() async throws {
        let (driver, _) = try SimulatedClusterDriverTests.driver()
        try await driver.cluster.apply(Fixtures.spec(replicas: 1), name: "handmade")
        _ = try await driver.apply(
            try SimulatedClusterDriverTests.objects(), for: "other", namespace: "default", fieldManager: "k")
        try await driver.delete(
            [
                ObjectKey(group: "apps", kind: "Deployment", namespace: "default", name: "handmade"),
                ObjectKey(group: "apps", kind: "Deployment", namespace: "default", name: "web"),
                ObjectKey(group: "", kind: "Service", namespace: "default", name: "web"),
            ], for: "shop")
        #expect(try await driver.cluster.snapshot.deployment("handmade") != nil)
        #expect(try await driver.liveObjects(of: "other").count == 2)
    }

    @Test func numbersKeepTheirFormAcrossARestart() async throws {
        let (driver, store) = try SimulatedClusterDriverTests.driver()
        let config = try Self.render(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: tuning}
            data: {ratio: "0.5"}
            binaryData: {}
            immutable: false
            spec: {weight: 1.0, count: 3}
            """)
        _ = try await driver.apply(config, for: "shop", namespace: "default", fieldManager: "k")
        let reopened = SimulatedClusterDriver(cluster: try SimulatedCluster(path: store.path))
        #expect(
            try await reopened.apply(config, for: "shop", namespace: "default", fieldManager: "k").map(\.change) == [
                .unchanged
            ])
        #expect(try await reopened.liveObjects(of: "shop").first?.body == config[0].body)
    }

    @Test func undoOfAMissingDeploymentIsNotFound() async throws {
        let (driver, _) = try SimulatedClusterDriverTests.driver()
        await #expect(throws: TargetError.notFound(SimulatedClusterDriverTests.web)) {
            try await driver.undo(SimulatedClusterDriverTests.web, toRevision: nil)
        }
    }
}
