import KeelsonKubernetes
import KeelsonManifests
import Testing

@testable import KeelsonSimulator

/// The `kubectl get -o json` shapes of a cluster stepped into the middle of a rollout.
struct KubectlObjectsTests {
    /// A labelled one-container template running `image`.
    static func spec(_ image: String, replicas: Int = 3, readinessDelay: Int = 0) -> DeploymentSpec {
        var spec = Fixtures.spec(replicas: replicas, image: image, readinessDelay: readinessDelay)
        let labels = JSONValue.object(JSONObject([("app", .string("web"))]))
        spec.template = try! PodTemplateSpec(json: spec.template.json.setting(["metadata", "labels"], to: labels))
        spec.selector = LabelSelector(matchLabels: spec.template.labels)
        return spec
    }

    /// `web` rolled out at `web:1`, then changed to `web:2` (ready 5 s after creation) and stepped 2 seconds.
    static func midRollout() -> SimCluster {
        var cluster = SimCluster()
        cluster.apply(spec("web:1"), name: "web")
        cluster = Fixtures.run(cluster, forAtMost: 100, until: Fixtures.complete()).cluster
        cluster.apply(spec("web:2", readinessDelay: 5), name: "web")
        return cluster.step(to: cluster.now.adding(2)).cluster
    }

    @Test func aDeploymentHasMetadataSpecAndStatusAsTheAPIServerWritesThem() throws {
        let cluster = Self.midRollout()
        let deployment = try #require(cluster.deployment("web"))
        let json = deployment.json
        #expect(json["apiVersion"] == .string("apps/v1"))
        #expect(json["kind"] == .string("Deployment"))
        let metadata = try #require(json["metadata"])
        #expect(metadata["name"] == .string("web"))
        #expect(metadata["namespace"] == .string("default"))
        #expect(metadata["generation"] == .int(2))
        #expect(metadata["creationTimestamp"] == .string("2026-01-01T00:00:00Z"))
        #expect(metadata["annotations"]?["deployment.kubernetes.io/revision"] == .string("2"))
        let spec = try #require(json["spec"])
        #expect(spec["replicas"] == .int(3))
        #expect(spec["selector"] == .object(JSONObject(["matchLabels": .object(JSONObject(["app": .string("web")]))])))
        #expect(spec["strategy"]?["type"] == .string("RollingUpdate"))
        #expect(spec["strategy"]?["rollingUpdate"]?["maxSurge"] == .string("25%"))
        #expect(spec["strategy"]?["rollingUpdate"]?["maxUnavailable"] == .string("25%"))
        #expect(spec["progressDeadlineSeconds"] == .int(600))
        #expect(spec["revisionHistoryLimit"] == .int(10))
        #expect(spec["paused"] == nil)
        #expect(spec["minReadySeconds"] == nil)
        #expect(spec["template"]?["spec"]?["containers"]?.arrayValue?.first?["image"] == .string("web:2"))
        #expect(spec["template"]?["metadata"]?["labels"]?["pod-template-hash"] == nil)
        let status = try #require(json["status"])
        #expect(status["observedGeneration"] == .int(2))
        #expect(status["updatedReplicas"] == .int(deployment.status.updatedReplicas))
        #expect(status["replicas"] == .int(deployment.status.replicas))
        let conditions = try #require(status["conditions"]?.arrayValue)
        #expect(conditions.map { $0["type"] } == [.string("Available"), .string("Progressing")])
        let progressing = try #require(deployment.status.condition(.progressing))
        #expect(conditions[1]["reason"] == .string(progressing.reason))
        #expect(conditions[1]["status"] == .string("True"))
        #expect(conditions[1]["lastUpdateTime"] == progressing.lastUpdateTime.json)
        #expect(conditions[1]["lastTransitionTime"] == progressing.lastTransitionTime.json)
        #expect(conditions[1]["message"] == .string(progressing.message))
    }

    @Test func integerSurgeAndRecreateStrategiesKeepTheirShapes() {
        var spec = Self.spec("web:1")
        spec.strategy = .rollingUpdate(maxSurge: .count(1), maxUnavailable: .count(0))
        spec.minReadySeconds = 5
        spec.paused = true
        var json = (Deployment(name: "web", spec: spec)).json
        #expect(json["spec"]?["strategy"]?["rollingUpdate"]?["maxSurge"] == .int(1))
        #expect(json["spec"]?["strategy"]?["rollingUpdate"]?["maxUnavailable"] == .int(0))
        #expect(json["spec"]?["minReadySeconds"] == .int(5))
        #expect(json["spec"]?["paused"] == .bool(true))
        spec.strategy = .recreate
        json = (Deployment(name: "web", spec: spec)).json
        #expect(json["spec"]?["strategy"] == .object(JSONObject(["type": .string("Recreate")])))
    }

    @Test func aReplicaSetCarriesItsHashLabelAndItsOwner() throws {
        let cluster = Self.midRollout()
        let replicaSets = cluster.replicaSets(of: "web")
        let new = try #require(replicaSets.last)
        let json = new.json
        #expect(json["kind"] == .string("ReplicaSet"))
        #expect(json["apiVersion"] == .string("apps/v1"))
        let labels = JSONValue.object(
            JSONObject(["app": .string("web"), "pod-template-hash": .string(new.podTemplateHash)]))
        #expect(json["metadata"]?["labels"] == labels)
        #expect(json["metadata"]?["name"] == .string("web-\(new.podTemplateHash)"))
        #expect(json["metadata"]?["creationTimestamp"] == new.createdAt.json)
        #expect(json["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"] == .string("2"))
        #expect(json["metadata"]?["annotations"]?["deployment.kubernetes.io/desired-replicas"] == .string("3"))
        let owner = try #require(json["metadata"]?["ownerReferences"]?.arrayValue?.first)
        #expect(owner["kind"] == .string("Deployment"))
        #expect(owner["name"] == .string("web"))
        #expect(owner["controller"] == .bool(true))
        #expect(json["spec"]?["selector"]?["matchLabels"] == labels)
        #expect(json["spec"]?["template"]?["metadata"]?["labels"] == labels)
        #expect(json["spec"]?["replicas"] == .int(new.spec.replicas))
        #expect(json["status"]?["replicas"] == .int(new.status.replicas))
        // The new pods are not ready yet (readiness delay 5 s), so the API server leaves the counts out.
        #expect(new.status.readyReplicas == 0)
        #expect(json["status"]?["readyReplicas"] == nil)
        #expect(json["status"]?["availableReplicas"] == nil)
    }

    @Test func aPodShowsItsOwnerLabelsReadinessAndContainers() throws {
        let cluster = Self.midRollout()
        let new = try #require(cluster.replicaSets(of: "web").last)
        let pod = try #require(cluster.pods.first { $0.owner == new.name })
        let json = pod.json
        #expect(json["apiVersion"] == .string("v1"))
        #expect(json["kind"] == .string("Pod"))
        #expect(json["metadata"]?["labels"]?["pod-template-hash"] == .string(new.podTemplateHash))
        #expect(json["metadata"]?["generateName"] == .string("\(new.name)-"))
        let owner = try #require(json["metadata"]?["ownerReferences"]?.arrayValue?.first)
        #expect(owner["kind"] == .string("ReplicaSet"))
        #expect(owner["name"] == .string(new.name))
        #expect(json["spec"]?["containers"]?.arrayValue?.first?["name"] == .string("web"))
        #expect(json["status"]?["phase"] == .string("Running"))
        let ready = try #require(json["status"]?["conditions"]?.arrayValue?.first { $0["type"] == .string("Ready") })
        #expect(ready["status"] == .string("False"))
        #expect(ready["reason"] == .string("ContainersNotReady"))
        #expect(ready["message"] == .string("containers with unready status: [web]"))
        let container = try #require(json["status"]?["containerStatuses"]?.arrayValue?.first)
        #expect(container["image"] == .string("web:2"))
        #expect(container["ready"] == .bool(false))
        #expect(container["restartCount"] == .int(0))
        #expect(container["state"]?["running"]?["startedAt"] == pod.createdAt.json)
    }

    @Test func aReadyPodHasTrueConditionsWithoutReasons() throws {
        let cluster = Self.midRollout()
        let old = try #require(cluster.replicaSets(of: "web").first)
        let pod = try #require(cluster.pods.first { $0.owner == old.name && $0.isReady })
        let json = pod.json
        let ready = try #require(json["status"]?["conditions"]?.arrayValue?.first { $0["type"] == .string("Ready") })
        #expect(ready["status"] == .string("True"))
        #expect(ready["reason"] == nil)
        #expect(ready["lastTransitionTime"] == (try #require(pod.readySince)).json)
        #expect(json["status"]?["containerStatuses"]?.arrayValue?.first?["ready"] == .bool(true))
    }

    @Test func aCrashLoopingPodWaitsInBackOffAfterItsLastRestart() throws {
        var cluster = SimCluster(faults: FaultPlan(faultsByImage: ["web:1": .crashLoop]))
        cluster.apply(Self.spec("web:1", replicas: 1), name: "web")
        cluster = cluster.step(to: Time.clusterEpoch.adding(76)).cluster
        let json = cluster.pods[0].json
        let container = try #require(json["status"]?["containerStatuses"]?.arrayValue?.first)
        #expect(container["state"]?["waiting"]?["reason"] == .string("CrashLoopBackOff"))
        #expect(container["restartCount"] == .int(3))
        // Created at t+1, restarted 10, 30 and 70 seconds later.
        #expect(container["lastState"]?["terminated"]?["finishedAt"] == Time.clusterEpoch.adding(71).json)
    }

    @Test func anEventNamesItsObjectAndTheReportingController() throws {
        let event = Event(
            about: "ReplicaSet", namespace: "default", name: "web-abc", reason: "SuccessfulCreate",
            message: "Created pod: web-abc-1", at: Time.clusterEpoch.adding(3))
        let json = event.json
        #expect(json["kind"] == .string("Event"))
        #expect(json["apiVersion"] == .string("v1"))
        #expect(json["involvedObject"]?["kind"] == .string("ReplicaSet"))
        #expect(json["involvedObject"]?["name"] == .string("web-abc"))
        #expect(json["involvedObject"]?["apiVersion"] == .string("apps/v1"))
        #expect(json["reason"] == .string("SuccessfulCreate"))
        #expect(json["type"] == .string("Normal"))
        #expect(json["source"]?["component"] == .string("replicaset-controller"))
        #expect(json["lastTimestamp"] == .string("2026-01-01T00:00:03Z"))
        #expect(json["metadata"]?["name"] == .string("web-abc.\(String(1_767_225_603_000_000_000, radix: 16))"))
    }

    @Test func theListWrapperHasAnEmptyResourceVersion() {
        let item = (Deployment(name: "web", spec: Self.spec("web:1"))).json
        let list = KubectlObjects.list([item])
        #expect(
            list.prettyJSON(indent: 0).filter { $0 != "\n" }.hasSuffix(
                #"],"kind": "List","metadata": {"resourceVersion": ""}}"#))
        #expect(list["apiVersion"] == .string("v1"))
        #expect(list["items"] == .array([item]))
        #expect(KubectlObjects.list([])["items"] == .array([]))
    }
}
