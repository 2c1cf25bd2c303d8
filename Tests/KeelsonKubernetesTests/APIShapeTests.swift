import Foundation
import KeelsonKubernetes
import Testing

/// The API value types read and write the API server's JSON: the same shape through
/// ``KubernetesJSON/json`` and through `Codable`, empty optional fields left out, and a wrong
/// field named by its path.
struct APIShapeTests {
    static func json(_ text: String) throws -> JSONValue { try JSONValue(json: Array(text.utf8)) }

    static let template =
        #"{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"web:1","name":"web","readinessProbe":{"initialDelaySeconds":4}}]}}"#

    @Test func aDeploymentSpecReadsAndWritesTheAPIServersShape() throws {
        let written = try Self.json(
            #"{"progressDeadlineSeconds":600,"replicas":3,"revisionHistoryLimit":10,"selector":{"matchLabels":{"app":"web"}},"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"},"type":"RollingUpdate"},"template":\#(Self.template)}"#
        )
        let spec = try DeploymentSpec(json: written)
        #expect(spec.replicas == 3)
        #expect(spec.strategy == .rollingUpdate(maxSurge: .count(1), maxUnavailable: .percent(25)))
        #expect(spec.template.containers == [Container(name: "web", image: "web:1", readinessDelaySeconds: 4)])
        #expect(spec.template.labels == ["app": "web"])
        // minReadySeconds 0 and paused false are left out, as `omitempty` leaves them out.
        #expect(spec.json == written)

        let coded = try JSONDecoder().decode(DeploymentSpec.self, from: JSONEncoder().encode(spec))
        #expect(coded == spec)
        #expect(coded.json == written)
    }

    @Test func absentOptionalFieldsStayAbsentAndOthersTakeAppsV1Defaults() throws {
        let spec = try DeploymentSpec(json: Self.json(#"{"template":\#(Self.template)}"#))
        #expect(spec.replicas == 1)
        #expect(spec.strategy == .default)
        #expect(spec.progressDeadlineSeconds == nil)
        #expect(spec.revisionHistoryLimit == nil)
        #expect(spec.selector == LabelSelector(matchLabels: ["app": "web"]))
        #expect(DeploymentStrategy.recreate.json == (try Self.json(#"{"type":"Recreate"}"#)))
    }

    @Test(arguments: [
        (#"{"template":\#(template),"strategy":{"type":"BlueGreen"}}"#, "strategy.type"),
        (
            #"{"template":\#(template),"strategy":{"rollingUpdate":{"maxSurge":"a lot"}}}"#,
            "strategy.rollingUpdate.maxSurge"
        ),
        (#"{"template":\#(template),"replicas":"3"}"#, "replicas"),
        (#"{"template":{"spec":{"containers":[{"name":"web"}]}}}"#, "template.spec.containers[0].image"),
        (#"{"template":{"spec":{"containers":[]}}}"#, "template.spec.containers"),
        (
            #"{"template":{"metadata":{"labels":{"app":1}},"spec":{"containers":[{"name":"web","image":"web:1"}]}}}"#,
            "template.metadata.labels.app"
        ),
    ])
    func aWrongFieldIsNamedByItsPath(_ text: String, _ field: String) throws {
        let error = #expect(throws: APIFieldError.self) { try DeploymentSpec(json: Self.json(text)) }
        #expect(error?.field == field, "\(String(describing: error))")
    }

    @Test func metadataReadsAndWritesTheAPIServersShape() throws {
        let written = try Self.json(
            #"{"creationTimestamp":"2026-01-01T00:03:10Z","generateName":"web-7d9f-","labels":{"app":"web"},"name":"web-7d9f-bbbbb","namespace":"shop","ownerReferences":[{"apiVersion":"apps/v1","blockOwnerDeletion":true,"controller":true,"kind":"ReplicaSet","name":"web-7d9f"}]}"#
        )
        let metadata = try ObjectMeta(json: written)
        #expect(metadata.creationTimestamp == Time(unixSeconds: 1_767_225_790))
        #expect(
            metadata.ownerReferences == [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d9f")])
        #expect(metadata.generation == nil && metadata.annotations.isEmpty)
        #expect(metadata.json == written)
        let error = #expect(throws: APIFieldError.self) {
            try ObjectMeta(json: Self.json(#"{"name":"web","creationTimestamp":"yesterday"}"#))
        }
        #expect(error?.field == "creationTimestamp")
        #expect(throws: APIFieldError.self) { try ObjectMeta(json: Self.json(#"{"namespace":"shop"}"#)) }
        #expect(try ObjectMeta(json: Self.json(#"{"name":"web","creationTimestamp":null}"#)).creationTimestamp == nil)
        // A null label value is the empty string, as the API server reads it.
        #expect(try ObjectMeta(json: Self.json(#"{"name":"web","labels":{"tier":null}}"#)).labels == ["tier": ""])
    }

    @Test func aTemplateIsItsCanonicalJSONAndSettingAnImageBackRestoresIt() throws {
        let template = try PodTemplateSpec(json: Self.json(Self.template))
        let bumped = try #require(template.settingImage("web:2", forContainer: "web"))
        #expect(bumped.images == ["web:2"])
        #expect(bumped != template)
        #expect(bumped.settingImage("web:1", forContainer: "web") == template)
        #expect(template.settingImage("web:2", forContainer: "db") == nil)
    }

    @Test(arguments: [
        (IntOrPercent.percent(25), 10, true, 3), (.percent(25), 10, false, 2), (.count(4), 10, false, 4),
        (.percent(0), 7, true, 0), (.percent(100), 7, false, 7),
    ])
    func percentagesScaleAsApimachineryDoes(_ value: IntOrPercent, _ total: Int, _ roundUp: Bool, _ expected: Int) {
        #expect(value.scaledValue(of: total, roundUp: roundUp) == expected)
    }
}
