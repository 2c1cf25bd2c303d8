import Testing

@testable import KeelsonManifests

/// One failing input and the single error it must produce.
struct RuleCase: CustomTestStringConvertible, Sendable {
    let input: String
    let fragment: String
    let line: Int?
    let field: String
    var file = "apps/web/deployment.yaml"

    var testDescription: String { fragment }
}

/// Renders the case's input and checks it fails with exactly one error at the expected place.
func expectSingleError(_ rule: RuleCase, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let errors = Fixtures.errors(rule.input, path: rule.file)
    #expect(errors.count == 1, "\(errors)", sourceLocation: sourceLocation)
    guard let error = errors.first else { return }
    #expect(error.file == rule.file, sourceLocation: sourceLocation)
    #expect(error.line == rule.line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.field == rule.field, "\(error)", sourceLocation: sourceLocation)
    #expect(error.message.contains(rule.fragment), "\(error)", sourceLocation: sourceLocation)
}

@Suite struct ValidationRuleTests {
    @Test func theFixtureItselfIsValid() {
        #expect(Fixtures.errors(Fixtures.deployment).isEmpty)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(replacing: "  name: web", with: "  name: Web_App"),
            fragment: "expected a DNS-1123 subdomain", line: 4, field: "metadata.name"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  name: web", with: "  name: web-"),
            fragment: "found \"web-\"", line: 4, field: "metadata.name"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  name: web", with: "  name: \(String(repeating: "a", count: 254))"),
            fragment: "no more than 253 characters", line: 4, field: "metadata.name"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  name: web", with: "  name: web\n  namespace: Shop"),
            fragment: "expected a DNS-1123 label", line: 5, field: "metadata.namespace"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  name: web", with: "  generateName: web-"),
            fragment: "generateName is not supported", line: 3, field: "metadata.name"),
        RuleCase(
            input: "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\nspec: {}\n",
            fragment: "DNS-1035 label", line: 4, field: "metadata.name"),
        RuleCase(
            input: Fixtures.deployment(replacing: "      - name: app", with: "      - name: App"),
            fragment: "expected a DNS-1123 label", line: 16, field: "spec.template.spec.containers[0].name"),
    ])
    func namesAreDNS1123(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(replacing: "  replicas: 3", with: "  replicas: -1"),
            fragment: "expected a value greater than or equal to 0, found -1", line: 6, field: "spec.replicas"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  replicas: 3", with: "  replicas: 3000000000"),
            fragment: "expected a 32-bit integer", line: 6, field: "spec.replicas"),
    ])
    func replicasAreNonNegative(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(
                replacing: "      containers:", with: "      containers: []\n      initContainers:"),
            fragment: "expected at least one container", line: 15, field: "spec.template.spec.containers"),
        RuleCase(
            input: """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      restartPolicy: Always
                """,
            fragment: "expected at least one container", line: 11, field: "spec.template.spec.containers"),
    ])
    func atLeastOneContainer(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(replacing: "      - name: sidecar", with: "      - name: app"),
            fragment: "\"app\" is already used by spec.template.spec.containers[0]", line: 18,
            field: "spec.template.spec.containers[1].name"),
        RuleCase(
            input: Fixtures.deployment(
                inserting: "      initContainers:\n      - name: sidecar\n        image: busybox:1.36",
                after: "    spec:"),
            fragment: "\"sidecar\" is already used by spec.template.spec.initContainers[0]", line: 21,
            field: "spec.template.spec.containers[1].name"),
        RuleCase(
            input: Fixtures.deployment(replacing: "      - name: sidecar", with: "      - imagePullPolicy: Always"),
            fragment: "expected a container name", line: 18, field: "spec.template.spec.containers[1].name"),
    ])
    func containerNamesAreUnique(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(
                replacing: "        image: envoyproxy/envoy:v1.30.1", with: "        image: \"\""),
            fragment: "the image reference is empty", line: 19, field: "spec.template.spec.containers[1].image"),
        RuleCase(
            input: Fixtures.deployment(replacing: "        image: envoyproxy/envoy:v1.30.1", with: "        image:"),
            fragment: "expected a non-empty image reference", line: 19, field: "spec.template.spec.containers[1].image"),
        RuleCase(
            input: Fixtures.deployment(
                replacing: "        image: envoyproxy/envoy:v1.30.1", with: "        image: envoyproxy//envoy:v1"),
            fragment: "repository path component \"\" must be lowercase letters and digits", line: 19,
            field: "spec.template.spec.containers[1].image"),
        RuleCase(
            input: Fixtures.deployment(
                replacing: "        image: envoyproxy/envoy:v1.30.1", with: "        image: envoyproxy/Envoy:v1"),
            fragment: "\"Envoy\" must be lowercase", line: 19, field: "spec.template.spec.containers[1].image"),
        RuleCase(
            input: Fixtures.deployment(
                replacing: "        image: envoyproxy/envoy:v1.30.1", with: "        image: \"envoy:v1 30\""),
            fragment: "tag \"v1 30\" must match", line: 19, field: "spec.template.spec.containers[1].image"),
        RuleCase(
            input: Fixtures.deployment(
                replacing: "        image: envoyproxy/envoy:v1.30.1", with: "        image: envoy@sha256:abc"),
            fragment: "digest \"sha256:abc\"", line: 19, field: "spec.template.spec.containers[1].image"),
        RuleCase(
            input: Fixtures.deployment(
                replacing: "        image: envoyproxy/envoy:v1.30.1", with: "        image: registry_x.io:5000/envoy"),
            fragment: "registry \"registry_x.io:5000\"", line: 19, field: "spec.template.spec.containers[1].image"),
        RuleCase(
            input: Fixtures.deployment(replacing: "        image: envoyproxy/envoy:v1.30.1", with: "        image: 42"),
            fragment: "expected a string, found integer 42", line: 19, field: "spec.template.spec.containers[1].image"),
    ])
    func imageReferencesAreWellFormed(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(
                inserting: "  strategy:\n    rollingUpdate:\n      maxSurge: -1", after: "  replicas: 3"),
            fragment: "expected a value greater than or equal to 0, found -1", line: 9,
            field: "spec.strategy.rollingUpdate.maxSurge"),
        RuleCase(
            input: Fixtures.deployment(
                inserting: "  strategy:\n    rollingUpdate:\n      maxSurge: 25", after: "  replicas: 3"
            )
            .replacingOccurrences("maxSurge: 25", "maxSurge: \"25\""),
            fragment: "percentage like \"25%\", found string \"25\"", line: 9,
            field: "spec.strategy.rollingUpdate.maxSurge"),
        RuleCase(
            input: Fixtures.deployment(
                inserting: "  strategy:\n    rollingUpdate:\n      maxUnavailable: 1.5", after: "  replicas: 3"),
            fragment: "found number 1.5", line: 9, field: "spec.strategy.rollingUpdate.maxUnavailable"),
        RuleCase(
            input: Fixtures.deployment(
                inserting: "  strategy:\n    rollingUpdate:\n      maxUnavailable: 120%", after: "  replicas: 3"),
            fragment: "no greater than 100%", line: 9, field: "spec.strategy.rollingUpdate.maxUnavailable"),
        RuleCase(
            input: Fixtures.deployment(
                inserting: "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0%",
                after: "  replicas: 3"),
            fragment: "expected maxSurge or maxUnavailable to be greater than 0", line: 10,
            field: "spec.strategy.rollingUpdate.maxUnavailable"),
        RuleCase(
            input: Fixtures.deployment(
                inserting: "  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1",
                after: "  replicas: 3"),
            fragment: "expected no rollingUpdate when strategy type is Recreate", line: 9,
            field: "spec.strategy.rollingUpdate"),
        RuleCase(
            input: Fixtures.deployment(inserting: "  strategy:\n    type: BlueGreen", after: "  replicas: 3"),
            fragment: "expected RollingUpdate or Recreate, found \"BlueGreen\"", line: 8, field: "spec.strategy.type"),
    ])
    func surgeAndUnavailableAreIntOrPercentAndNotBothZero(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(replacing: "      app: web", with: "      app: api"),
            fragment: "expected the selector to match spec.template.metadata.labels ({app: web}), found {app: api}",
            line: 7, field: "spec.selector"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  selector:", with: "  minReadySeconds: 0")
                .replacingOccurrences("    matchLabels:\n      app: web\n", "    # no selector\n    #\n"),
            fragment: "expected a selector matching the pod template labels", line: 5, field: "spec.selector"),
        RuleCase(
            input: Fixtures.deployment(replacing: "    matchLabels:", with: "    matchExpressions:")
                .replacingOccurrences(
                    "      app: web\n  template", "      - {key: tier, operator: In, values: [db]}\n  template"),
            fragment: "found no labels with matchExpressions", line: 7, field: "spec.selector"),
        RuleCase(
            input: Fixtures.deployment(replacing: "    matchLabels:", with: "    matchExpressions:")
                .replacingOccurrences("      app: web\n  template", "      - {key: app, operator: Near}\n  template"),
            fragment: "expected In, NotIn, Exists or DoesNotExist, found \"Near\"", line: 9,
            field: "spec.selector.matchExpressions[0].operator"),
        RuleCase(
            input: Fixtures.deployment(replacing: "    matchLabels:", with: "    matchLabels: {}")
                .replacingOccurrences("      app: web\n  template", "  template"),
            fragment: "an empty selector would select every pod", line: 7, field: "spec.selector"),
    ])
    func selectorIsPresentAndMatchesTemplateLabels(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(
                inserting: "  minReadySeconds: 30\n  progressDeadlineSeconds: 30", after: "  replicas: 3"),
            fragment: "expected a value greater than minReadySeconds (30), found 30", line: 8,
            field: "spec.progressDeadlineSeconds"),
        RuleCase(
            input: Fixtures.deployment(inserting: "  minReadySeconds: 900", after: "  replicas: 3"),
            fragment: "greater than minReadySeconds (900), found 600", line: 5, field: "spec.progressDeadlineSeconds"),
    ])
    func progressDeadlineExceedsMinReadySeconds(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(replacing: "  replicas: 3", with: "  replicas: \"three\""),
            fragment: "expected an integer, found string \"three\"", line: 6, field: "spec.replicas"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  replicas: 3", with: "  replicas: 2.5"),
            fragment: "expected an integer, found number 2.5", line: 6, field: "spec.replicas"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  replicas: 3", with: "  paused: maybe"),
            fragment: "expected a boolean (true or false), found string \"maybe\"", line: 6, field: "spec.paused"),
        RuleCase(
            input: Fixtures.deployment(replacing: "        app: web", with: "        app: web\n        version: 2"),
            fragment: "expected a string, found integer 2", line: 14, field: "spec.template.metadata.labels.version"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  name: web", with: "  name: web\n  labels: [a, b]"),
            fragment: "expected a mapping, found a list", line: 5, field: "metadata.labels"),
        RuleCase(
            input: Fixtures.deployment(replacing: "      containers:", with: "      containers:\n        name: app")
                .replacingOccurrences(
                    "      - name: app\n        image: ghcr.io/acme/web:1.0.0\n      - name: sidecar\n        image: envoyproxy/envoy:v1.30.1",
                    ""),
            fragment: "expected a list, found a mapping", line: 15, field: "spec.template.spec.containers"),
        RuleCase(
            input: Fixtures.deployment(replacing: "  replicas: 3", with: "  replicas: .inf"),
            fragment: "expected a finite number, found .inf", line: 6, field: "spec.replicas"),
        RuleCase(
            input: Fixtures.deployment(
                inserting: "        readinessProbe:\n          initialDelaySeconds: soon",
                after: "        image: ghcr.io/acme/web:1.0.0"),
            fragment: "expected an integer, found string \"soon\"", line: 19,
            field: "spec.template.spec.containers[0].readinessProbe.initialDelaySeconds"),
        RuleCase(
            input: "- apiVersion: v1\n  kind: ConfigMap\n",
            fragment: "expected a Kubernetes object (a mapping with apiVersion, kind and metadata.name), found a list",
            line: 1, field: ""),
    ])
    func wrongTypesNameFieldExpectedAndFound(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: Fixtures.deployment(replacing: "  replicas: 3", with: "  replicas: [3"),
            fragment: "expected valid YAML", line: 7, field: ""),
        RuleCase(
            input: Fixtures.deployment(replacing: "      app: web", with: "      app: web\n     tier: x"),
            fragment: "expected valid YAML", line: 10, field: ""),
        RuleCase(
            input: Fixtures.deployment(replacing: "  replicas: 3", with: "  replicas: 3\n  replicas: 4"),
            fragment: "expected unique keys in a mapping, found \"replicas\" more than once", line: 6, field: ""),
        RuleCase(
            input: "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n \"metadata\": {\"name\": \"x\"}\n",
            fragment: "expected valid YAML", line: 3, field: "", file: "apps/web/config.json"),
        RuleCase(
            input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *missing\n",
            fragment: "found undefined alias", line: 4, field: ""),
    ])
    func yamlSyntaxErrorsCarryTheirLine(_ rule: RuleCase) {
        expectSingleError(rule)
    }

    @Test(arguments: [
        RuleCase(
            input: "# settings for the web app\nreplicas: 3\n",
            fragment: "expected every document to be a Kubernetes object with apiVersion and kind", line: 2,
            field: "apiVersion"),
        RuleCase(
            input: "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n",
            fragment: "expected a name for this ConfigMap", line: 1, field: "metadata.name"),
        RuleCase(
            input: Fixtures.deployment(replacing: "apiVersion: apps/v1", with: "apiVersion: apps/v2"),
            fragment: "expected apps/v1 for a Deployment, found \"apps/v2\"", line: 1, field: "apiVersion"),
        RuleCase(
            input: "apiVersion: apps/v1/beta\nkind: Thing\nmetadata:\n  name: x\n",
            fragment: "expected group/version or version", line: 1, field: "apiVersion"),
    ])
    func documentsAreNamedKubernetesObjects(_ rule: RuleCase) {
        expectSingleError(rule)
    }
}
