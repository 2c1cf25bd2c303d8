import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// Fencepost arithmetic from `pkg/controller/deployment/util/deployment_util_test.go`.
struct ResolveFencepostsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let maxSurge: IntOrPercent
        let maxUnavailable: IntOrPercent
        let desired: Int
        let surge: Int
        let unavailable: Int
        var testDescription: String { "maxSurge=\(maxSurge) maxUnavailable=\(maxUnavailable) desired=\(desired)" }
    }

    // TestResolveFenceposts, deployment_util_test.go. Upstream's two error cases ("oops", "urg") cannot be
    // expressed: IntOrPercent holds only parsed values; the manifests layer rejects malformed ones.
    // The rows after the first two are the worked examples of ResolveFenceposts' doc comment.
    @Test(arguments: [
        Case(maxSurge: .percent(0), maxUnavailable: .percent(0), desired: 0, surge: 0, unavailable: 1),
        Case(maxSurge: .percent(39), maxUnavailable: .percent(39), desired: 10, surge: 4, unavailable: 3),
        Case(maxSurge: .percent(0), maxUnavailable: .percent(1), desired: 2, surge: 0, unavailable: 1),
        Case(maxSurge: .percent(1), maxUnavailable: .percent(25), desired: 2, surge: 1, unavailable: 0),
        Case(maxSurge: .percent(1), maxUnavailable: .percent(0), desired: 1, surge: 1, unavailable: 0),
        Case(maxSurge: .count(0), maxUnavailable: .count(0), desired: 10, surge: 0, unavailable: 1),
    ])
    func TestResolveFenceposts(_ test: Case) {
        let resolved = RolloutRules.resolveFenceposts(
            maxSurge: test.maxSurge, maxUnavailable: test.maxUnavailable, desired: test.desired)
        #expect(resolved.surge == test.surge)
        #expect(resolved.unavailable == test.unavailable)
    }

    struct LimitCase: Sendable, CustomTestStringConvertible {
        let name: String
        let replicas: Int
        let maxUnavailable: IntOrPercent
        let recreate: Bool
        let expected: Int
        init(
            _ name: String, _ replicas: Int, _ maxUnavailable: IntOrPercent, recreate: Bool = false, _ expected: Int
        ) {
            self.name = name
            self.replicas = replicas
            self.maxUnavailable = maxUnavailable
            self.recreate = recreate
            self.expected = expected
        }
        var testDescription: String { name }
        var spec: DeploymentSpec {
            DeploymentSpec(
                replicas: replicas,
                strategy: recreate ? .recreate : .rollingUpdate(maxSurge: .count(1), maxUnavailable: maxUnavailable),
                template: Fixtures.template())
        }
    }

    // TestMaxUnavailable, deployment_util_test.go (maxSurge 1 throughout).
    @Test(arguments: [
        LimitCase("maxUnavailable less than replicas", 10, .count(5), 5),
        LimitCase("maxUnavailable equal replicas", 10, .count(10), 10),
        LimitCase("maxUnavailable greater than replicas", 5, .count(10), 5),
        LimitCase("maxUnavailable with replicas is 0", 0, .count(10), 0),
        LimitCase("maxUnavailable with Recreate deployment strategy", 0, .count(0), recreate: true, 0),
        LimitCase("maxUnavailable less than replicas with percents", 10, .percent(50), 5),
        LimitCase("maxUnavailable equal replicas with percents", 10, .percent(100), 10),
        LimitCase("maxUnavailable greater than replicas with percents", 5, .percent(100), 5),
    ])
    func TestMaxUnavailable(_ test: LimitCase) {
        #expect(RolloutRules.maxUnavailable(test.spec) == test.expected)
    }

    // TestMinAvailable, deployment_util_test.go (maxSurge 1 throughout).
    @Test(arguments: [
        LimitCase("replicas greater than maxUnavailable", 10, .count(5), 5),
        LimitCase("replicas equal maxUnavailable", 10, .count(10), 0),
        LimitCase("replicas less than maxUnavailable", 5, .count(10), 0),
        LimitCase("replicas is 0", 0, .count(10), 0),
        LimitCase("minAvailable with Recreate deployment strategy", 10, .count(0), recreate: true, 0),
        LimitCase("replicas greater than maxUnavailable with percents", 10, .percent(60), 4),
        LimitCase("replicas equal maxUnavailable with percents", 10, .percent(100), 0),
        LimitCase("replicas less than maxUnavailable with percents", 5, .percent(100), 0),
    ])
    func TestMinAvailable(_ test: LimitCase) {
        #expect(RolloutRules.minAvailable(test.spec) == test.expected)
    }

    /// maxSurge rounds up and maxUnavailable rounds down at every replica count, not just the tabled ones.
    @Test(arguments: [1, 25, 33, 50, 99, 100])
    func surgeRoundsUpUnavailableRoundsDown(percent: Int) {
        for desired in 1...40 {
            let resolved = RolloutRules.resolveFenceposts(
                maxSurge: .percent(percent), maxUnavailable: .percent(percent), desired: desired)
            let exact = Double(percent * desired) / 100
            #expect(resolved.surge == Int(exact.rounded(.up)))
            let floor = Int(exact.rounded(.down))
            #expect(resolved.unavailable == (floor == 0 && resolved.surge == 0 ? 1 : floor))
        }
    }
}
