import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

@Suite struct DeploymentDefaultsTests {
    /// A Deployment that sets nothing but the pod template (and the selector where it is required).
    static func minimal(apiVersion: String, selector: Bool) -> String {
        let selectorLines = selector ? "  selector:\n    matchLabels:\n      app: web\n" : ""
        return """
            apiVersion: \(apiVersion)
            kind: Deployment
            metadata:
              name: web
            spec:
            \(selectorLines)  template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                  - name: app
                    image: web:1
            """
    }

    struct Expected: Sendable, CustomTestStringConvertible {
        let apiVersion: DeploymentAPIVersion
        let maxSurge: IntOrPercent
        let maxUnavailable: IntOrPercent
        let revisionHistoryLimit: Int?
        let progressDeadlineSeconds: Int?
        let selectorOptional: Bool
        var testDescription: String { apiVersion.rawValue }
    }

    @Test(arguments: [
        Expected(
            apiVersion: .appsV1, maxSurge: .percent(25), maxUnavailable: .percent(25), revisionHistoryLimit: 10,
            progressDeadlineSeconds: 600, selectorOptional: false),
        Expected(
            apiVersion: .appsV1beta2, maxSurge: .percent(25), maxUnavailable: .percent(25), revisionHistoryLimit: 10,
            progressDeadlineSeconds: 600, selectorOptional: false),
        Expected(
            apiVersion: .appsV1beta1, maxSurge: .percent(25), maxUnavailable: .percent(25), revisionHistoryLimit: 2,
            progressDeadlineSeconds: 600, selectorOptional: true),
        Expected(
            apiVersion: .extensionsV1beta1, maxSurge: .count(1), maxUnavailable: .count(1), revisionHistoryLimit: nil,
            progressDeadlineSeconds: nil, selectorOptional: true),
    ])
    func defaultsFollowTheApiVersion(_ expected: Expected) throws {
        let text = Self.minimal(apiVersion: expected.apiVersion.rawValue, selector: !expected.selectorOptional)
        let rendered = try Fixtures.render([("web.yaml", text)]).get()
        let spec = try #require(rendered.objects.first?.deployment)
        #expect(spec.replicas == 1)
        #expect(spec.strategy == .rollingUpdate(maxSurge: expected.maxSurge, maxUnavailable: expected.maxUnavailable))
        #expect(spec.revisionHistoryLimit == expected.revisionHistoryLimit)
        #expect(spec.progressDeadlineSeconds == expected.progressDeadlineSeconds)
        #expect(spec.minReadySeconds == 0)
        #expect(spec.paused == false)
        #expect(spec.selector == LabelSelector(matchLabels: ["app": "web"]))
        #expect(spec.template.containers == [Container(name: "app", image: "web:1")])
        // The raw body stays as written: defaults live in the typed view only.
        #expect(rendered.objects.first?.body["spec"]?["replicas"] == nil)
    }

    @Test(arguments: [DeploymentAPIVersion.appsV1, .appsV1beta2])
    func selectorIsRequiredFromAppsV1beta2(_ version: DeploymentAPIVersion) {
        let errors = Fixtures.errors(Self.minimal(apiVersion: version.rawValue, selector: false))
        #expect(errors.map(\.field) == ["spec.selector"])
        #expect(errors.map(\.line) == [5])
    }

    @Test(arguments: DeploymentAPIVersion.allCases)
    func deprecatedVersionsLoadWithAWarningNamingTheirDefaults(_ version: DeploymentAPIVersion) throws {
        let rendered = try Fixtures.render([("web.yaml", Self.minimal(apiVersion: version.rawValue, selector: true))])
            .get()
        #expect(rendered.objects.count == 1)
        if version == .appsV1 {
            #expect(rendered.warnings.isEmpty)
        } else {
            #expect(rendered.warnings.count == 1)
            let warning = try #require(rendered.warnings.first)
            #expect(warning.location == SourceLocation(file: "web.yaml", line: 1))
            #expect(warning.field == "apiVersion")
            #expect(warning.message.contains("\(version.rawValue) Deployments were removed in Kubernetes 1.16"))
            #expect(warning.message.contains("change apiVersion to apps/v1"))
        }
    }

    @Test func extensionsV1beta1WarningSpellsOutItsHistoricalDefaults() throws {
        let rendered = try Fixtures.render([
            ("web.yaml", Self.minimal(apiVersion: "extensions/v1beta1", selector: false))
        ]).get()
        #expect(
            rendered.warnings.map(\.description) == [
                "web.yaml:1: apiVersion: warning: extensions/v1beta1 Deployments were removed in Kubernetes 1.16; loaded with that version's defaults (maxSurge 1, maxUnavailable 1, no revisionHistoryLimit, no progressDeadlineSeconds); change apiVersion to apps/v1"
            ])
    }

    @Test func legacySelectorDefaultingNeedsTemplateLabels() {
        let text = Self.minimal(apiVersion: "apps/v1beta1", selector: false)
            .replacingOccurrences("      labels:\n        app: web\n", "")
        #expect(Fixtures.errors(text).map(\.field) == ["spec.selector"])
    }

    @Test func explicitValuesOverrideDefaults() throws {
        let text = Fixtures.deployment(
            inserting: """
                  strategy:
                    type: RollingUpdate
                    rollingUpdate:
                      maxSurge: 0
                      maxUnavailable: 50%
                  minReadySeconds: 5
                  progressDeadlineSeconds: 120
                  revisionHistoryLimit: 0
                  paused: true
                """, after: "  replicas: 3"
        )
        .replacingOccurrences(
            "        image: ghcr.io/acme/web:1.0.0",
            "        image: ghcr.io/acme/web:1.0.0\n        readinessProbe:\n          initialDelaySeconds: 7")
        let spec = try #require(try Fixtures.render([("web.yaml", text)]).get().objects.first?.deployment)
        #expect(spec.replicas == 3)
        #expect(spec.strategy == .rollingUpdate(maxSurge: .count(0), maxUnavailable: .percent(50)))
        #expect(spec.minReadySeconds == 5)
        #expect(spec.progressDeadlineSeconds == 120)
        #expect(spec.revisionHistoryLimit == 0)
        #expect(spec.paused)
        #expect(spec.template.containers.map(\.readinessDelaySeconds) == [7, 0])
        #expect(
            spec.template.containers.map(\.image) == ["ghcr.io/acme/web:1.0.0", "envoyproxy/envoy:v1.30.1"])
        #expect(spec.template.labels == ["app": "web"])
        #expect(
            spec.template.json
                == (try #require(
                    try Fixtures.render([("web.yaml", text)]).get().objects.first?.body["spec"]?["template"])))
    }

    @Test func recreateStrategyHasNoSurge() throws {
        let text = Fixtures.deployment(inserting: "  strategy:\n    type: Recreate", after: "  replicas: 3")
        let spec = try #require(try Fixtures.render([("web.yaml", text)]).get().objects.first?.deployment)
        #expect(spec.strategy == .recreate)
    }

    @Test func selectorExpressionsAreKeptRawAndEvaluated() throws {
        let text = Fixtures.deployment(
            inserting:
                "    matchExpressions:\n    - {key: tier, operator: NotIn, values: [db]}\n    - {key: app, operator: Exists}",
            after: "      app: web")
        let spec = try #require(try Fixtures.render([("web.yaml", text)]).get().objects.first?.deployment)
        #expect(spec.selector.matchExpressions.count == 2)
        #expect(spec.selector.matchExpressions.first?["operator"] == .string("NotIn"))
        #expect(spec.selector.matches(["app": "web"]))
        #expect(!spec.selector.matches(["app": "web", "tier": "db"]))
        #expect(!spec.selector.matches(["tier": "web"]))
    }
}
