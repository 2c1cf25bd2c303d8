import Foundation
import KeelsonCore
import KeelsonServer
import Testing

struct AlertRollbackPolicyTests {
    /// When entry #3 of `web` was deployed.
    static let deployedAt = Date(timeIntervalSince1970: 1_714_564_800)
    static let minute: TimeInterval = 60

    static func entry(
        _ id: Int, _ revision: String, at startedAt: Date, _ initiator: HistoryEntry.Initiator = .auto,
        _ outcome: HistoryEntry.Outcome = .succeeded
    ) -> HistoryEntry {
        HistoryEntry(
            id: id, revision: revision, subject: "change \(id)", author: "Octo Cat", path: "apps/web",
            startedAt: startedAt, initiator: initiator, outcome: outcome)
    }

    /// `web`: #3 (abc1234) live since `deployedAt`, #2 and #1 succeeded before it.
    /// - Parameter completed: minutes after `deployedAt` that #3's rollout completed; nil: still running.
    static func web(
        autoRollback: Bool = true, live: HistoryEntry.Initiator = .auto, earlier: HistoryEntry.Outcome = .succeeded,
        completed: Double? = nil
    ) -> AlertedApplication {
        var status = ApplicationStatus()
        status.currentHistoryID = 3
        var latest = entry(
            3, "abc1234def5678abc1234def5678abc1234def56", at: deployedAt, live,
            completed == nil ? .running : .succeeded)
        latest.finishedAt = completed.map { deployedAt + $0 * minute }
        return AlertedApplication(
            application: Application(
                name: "web", repository: "https://github.com/acme/deploy", path: "apps/web",
                syncPolicy: .init(autoRollback: autoRollback)),
            status: status,
            history: [
                latest,
                entry(2, "2222222222222222222222222222222222222222", at: deployedAt - 60 * minute, .auto, earlier),
                entry(1, "1111111111111111111111111111111111111111", at: deployedAt - 120 * minute, .auto, earlier),
            ])
    }

    static func alert(
        _ name: String, app: String? = "web", label: String = "keelson_app", startsAfterDeploy minutes: Double? = 3,
        _ status: AlertmanagerNotification.Status = .firing
    ) -> AlertmanagerNotification.Alert {
        var labels = ["alertname": name, "severity": "critical"]
        labels[label] = app
        return AlertmanagerNotification.Alert(
            status: status, labels: labels, startsAt: minutes.map { deployedAt + $0 * minute })
    }

    func decide(
        _ alerts: [AlertmanagerNotification.Alert], _ web: AlertedApplication? = web(),
        policy: AlertRollbackPolicy = AlertRollbackPolicy(), nowAfterDeploy minutes: Double = 5
    ) -> [AlertDecision] {
        policy.decisions(
            for: AlertmanagerNotification(status: .firing, alerts: alerts),
            applications: web.map { ["web": $0] } ?? [:], now: Self.deployedAt + minutes * Self.minute)
    }

    @Test func anAlertSoonAfterADeploymentRollsItBack() {
        #expect(
            decide([Self.alert("HighErrorRate")]) == [
                .rollBack(
                    application: "web", reason: "alert \"HighErrorRate\" started 3 min after #3 (abc1234) was deployed")
            ])
    }

    @Test func anAlertThatClaimsToStartInTheFutureIsRefused() {
        // Now is 5 min after the deploy; the alert says it starts 30 min after: forged, or a broken clock.
        let decisions = decide([Self.alert("HighErrorRate", startsAfterDeploy: 30)])
        guard case .ignore("web", let reason)? = decisions.first else {
            Issue.record("expected the alert to be ignored, got \(decisions)")
            return
        }
        #expect(reason.hasPrefix("alert \"HighErrorRate\" claims to start in the future"))
        // Up to a minute ahead is a clock's skew, not a forgery.
        guard case .rollBack? = decide([Self.alert("HighErrorRate", startsAfterDeploy: 5.5)]).first else {
            Issue.record("an alert 30 s ahead should roll back")
            return
        }
    }

    @Test func severalAlertsForOneApplicationRollItBackOnce() {
        #expect(
            decide([
                Self.alert("HighErrorRate"), Self.alert("HighLatency", startsAfterDeploy: 4),
                Self.alert("HighLatency", startsAfterDeploy: 5), Self.alert("HighErrorRate", startsAfterDeploy: 4),
            ]) == [
                .rollBack(
                    application: "web",
                    reason: "alert \"HighErrorRate\" started 3 min after #3 (abc1234) was deployed; "
                        + "also firing: HighLatency")
            ])
    }

    @Test func oneAlertInTheWindowIsEnoughAmongOthersThatAreNot() {
        let decisions = decide([
            Self.alert("OldAlert", startsAfterDeploy: -30), Self.alert("HighErrorRate", startsAfterDeploy: 2),
        ])
        guard case .rollBack(let app, let reason)? = decisions.first, decisions.count == 1 else {
            Issue.record("expected one rollback, got \(decisions)")
            return
        }
        #expect(app == "web")
        #expect(reason.hasPrefix("alert \"HighErrorRate\" started 2 min after"))
    }

    @Test func anAlertWithoutTheLabelIsIgnored() {
        #expect(
            decide([Self.alert("DiskFull", app: nil)]) == [
                .ignore(application: nil, reason: "alert \"DiskFull\" has no keelson_app label")
            ])
    }

    @Test func theLabelIsConfigurable() {
        let policy = AlertRollbackPolicy(applicationLabel: "app")
        #expect(
            decide([Self.alert("HighErrorRate", label: "app")], policy: policy) == [
                .rollBack(
                    application: "web", reason: "alert \"HighErrorRate\" started 3 min after #3 (abc1234) was deployed")
            ])
        #expect(
            decide([Self.alert("HighErrorRate")], policy: policy) == [
                .ignore(application: nil, reason: "alert \"HighErrorRate\" has no app label")
            ])
    }

    @Test func anUnknownApplicationIsIgnored() {
        #expect(
            decide([Self.alert("HighErrorRate", app: "shop")]) == [
                .ignore(application: "shop", reason: "no application is named \"shop\"")
            ])
    }

    @Test func autoRollbackOffIsRespected() {
        #expect(
            decide([Self.alert("HighErrorRate")], Self.web(autoRollback: false)) == [
                .ignore(application: "web", reason: "auto-rollback is off")
            ])
    }

    @Test func aDeploymentOlderThanTheWindowIsNotBlamed() {
        #expect(
            decide([Self.alert("HighErrorRate", startsAfterDeploy: 20)], nowAfterDeploy: 21) == [
                .ignore(
                    application: "web",
                    reason: "#3 (abc1234) was deployed 20 min before alert \"HighErrorRate\" started, "
                        + "more than the 15 min window")
            ])
    }

    @Test func theWindowIsConfigurable() {
        let policy = AlertRollbackPolicy(window: .seconds(30 * 60))
        guard
            case .rollBack? = decide(
                [Self.alert("HighErrorRate", startsAfterDeploy: 20)], policy: policy, nowAfterDeploy: 21
            ).first
        else {
            Issue.record("expected a rollback within a 30 minute window")
            return
        }
    }

    @Test(arguments: [(10.0, true), (16.0, false)])
    func withoutAStartTimeNowIsUsed(nowAfterDeploy: Double, rollsBack: Bool) {
        let decisions = decide([Self.alert("HighErrorRate", startsAfterDeploy: nil)], nowAfterDeploy: nowAfterDeploy)
        guard case .rollBack? = decisions.first else {
            #expect(!rollsBack, "\(decisions)")
            return
        }
        #expect(rollsBack)
    }

    @Test func anAlertThatStartedBeforeADeploymentInProgressWaitsForItsRollout() {
        #expect(
            decide([Self.alert("HighErrorRate", startsAfterDeploy: -2)]) == [
                .ignore(
                    application: "web",
                    reason: "alert \"HighErrorRate\" started before #3 (abc1234) was deployed: "
                        + "judged again 6 min after its rollout completes")
            ])
    }

    @Test func anAlertThatStartedBeforeADeploymentIsGivenTheSettleTimeToStop() {
        // #3 completed 1 min after it started; now is 5 min after it started: 2 more minutes to go.
        #expect(
            decide([Self.alert("HighErrorRate", startsAfterDeploy: -2)], Self.web(completed: 1)) == [
                .ignore(
                    application: "web",
                    reason: "alert \"HighErrorRate\" started before #3 (abc1234) was deployed: "
                        + "judged again 2 min from now if it still fires")
            ])
    }

    @Test func anAlertThatGoesOnFiringAfterADeploymentCompletedIsBlamedOnIt() {
        #expect(
            decide([Self.alert("HighErrorRate", startsAfterDeploy: -2)], Self.web(completed: 1), nowAfterDeploy: 8) == [
                .rollBack(
                    application: "web", reason: "alert \"HighErrorRate\" still fires 7 min after #3 (abc1234) completed"
                )
            ])
        // The settle time is configurable.
        #expect(
            decide(
                [Self.alert("HighErrorRate", startsAfterDeploy: -2)], Self.web(completed: 1),
                policy: AlertRollbackPolicy(settle: .seconds(10 * 60)), nowAfterDeploy: 8
            ).first.map { if case .ignore = $0 { true } else { false } } == true)
    }

    @Test func anAlertThatWentOnFiringPastTheWindowIsNotBlamed() {
        #expect(
            decide([Self.alert("HighErrorRate", startsAfterDeploy: -2)], Self.web(completed: 1), nowAfterDeploy: 20)
                == [
                    .ignore(
                        application: "web",
                        reason: "alert \"HighErrorRate\" started before #3 (abc1234) was deployed, 20 min ago, "
                            + "more than the 15 min window")
                ])
    }

    @Test(arguments: [HistoryEntry.Initiator.rollback, .autoRollback])
    func aLiveRollbackIsNotRolledBackAgain(initiator: HistoryEntry.Initiator) {
        #expect(
            decide([Self.alert("HighErrorRate")], Self.web(live: initiator)) == [
                .ignore(
                    application: "web", reason: "already rolled back: the live deployment #3 (abc1234) is a rollback")
            ])
    }

    @Test func withoutAnEarlierSuccessThereIsNothingToRollBackTo() {
        #expect(
            decide([Self.alert("HighErrorRate")], Self.web(earlier: .failed)) == [
                .ignore(
                    application: "web", reason: "nothing to roll back to: no successful deployment before #3 (abc1234)")
            ])
    }

    @Test func withNothingLiveThereIsNothingToBlame() {
        var web = Self.web()
        web.status.currentHistoryID = nil
        #expect(
            decide([Self.alert("HighErrorRate")], web) == [.ignore(application: "web", reason: "nothing is deployed")])
    }

    @Test func resolvedAlertsAreRecorded() {
        let resolved = Self.alert("HighErrorRate", startsAfterDeploy: 3, .resolved)
        #expect(decide([resolved, resolved]) == [.record(application: "web", alertname: "HighErrorRate")])
    }

    @Test func decisionsFollowTheAlertsOrder() {
        let alerts = [
            Self.alert("DiskFull", app: nil), Self.alert("HighLatency", app: "api", startsAfterDeploy: 1, .resolved),
            Self.alert("HighErrorRate"), Self.alert("HighErrorRate", app: "shop"),
        ]
        #expect(
            decide(alerts) == [
                .ignore(application: nil, reason: "alert \"DiskFull\" has no keelson_app label"),
                .record(application: "api", alertname: "HighLatency"),
                .rollBack(
                    application: "web", reason: "alert \"HighErrorRate\" started 3 min after #3 (abc1234) was deployed"),
                .ignore(application: "shop", reason: "no application is named \"shop\""),
            ])
    }

    @Test func theApplicationsToLoadAreThoseOfFiringAlerts() {
        let notification = AlertmanagerNotification(
            status: .firing,
            alerts: [
                Self.alert("HighErrorRate"), Self.alert("HighLatency", app: "api", .resolved),
                Self.alert("Saturation", app: "shop"), Self.alert("HighLatency"), Self.alert("DiskFull", app: nil),
            ])
        #expect(AlertRollbackPolicy().applicationNames(in: notification) == ["web", "shop"])
    }
}
