import KeelsonKubernetes
import Testing

@testable import KeelsonSimulator

/// `kubectl get` tables: columns, tabwriter padding and ages.
struct KubectlTableTests {
    @Test(arguments: [
        (["A", "B"], [["x", "y"]], "A     B\nx     y\n"),
        (["NAME", "AGE"], [["web", "5s"]], "NAME   AGE\nweb    5s\n"),
        (["NAME", "AGE"], [["frontend", "5s"]], "NAME       AGE\nfrontend   5s\n"),
        (["NAME", "AGE"], [], "NAME   AGE\n"),
    ])
    func columnsArePaddedToTheWidestCellPlusThreeAndAtLeastSix(
        headers: [String], rows: [[String]], expected: String
    ) {
        #expect(KubectlTable(headers: headers, rows: rows).rendered == expected)
    }

    @Test func deploymentsShowReadyOverDesired() {
        var web = Deployment(name: "web", spec: Fixtures.spec(replicas: 3), createdAt: .clusterEpoch)
        web.status.readyReplicas = 3
        web.status.updatedReplicas = 3
        web.status.availableReplicas = 3
        var canary = Deployment(
            name: "frontend-canary", spec: Fixtures.spec(replicas: 2), createdAt: Time.clusterEpoch.adding(100))
        canary.status.readyReplicas = 1
        canary.status.updatedReplicas = 2
        canary.status.availableReplicas = 1
        let table = KubectlTable.deployments([web, canary], now: Time.clusterEpoch.adding(190))
        #expect(
            table.rendered == """
                NAME              READY   UP-TO-DATE   AVAILABLE   AGE
                web               3/3     3            3           3m10s
                frontend-canary   1/2     2            1           90s

                """)
    }

    @Test func replicaSetsShowDesiredCurrentAndReady() {
        var old = Fixtures.replicaSet("web-5d8f7b9c6", replicas: 0, createdAt: 0)
        old.status = ReplicaSetStatus(replicas: 1, readyReplicas: 1, availableReplicas: 1)
        let new = Fixtures.replicaSet("web-7c5ddbdf54", replicas: 3, createdAt: 3000, statusReplicas: 3)
        let table = KubectlTable.replicaSets([old, new], now: Time.clusterEpoch.adding(3 * 86_400))
        #expect(
            table.rendered == """
                NAME             DESIRED   CURRENT   READY   AGE
                web-5d8f7b9c6    0         1         1       3d
                web-7c5ddbdf54   3         3         0       2d23h

                """)
    }

    @Test func podsOfAClusterShowReadinessStatusAndAge() throws {
        var cluster = SimCluster()
        cluster.apply(Fixtures.spec(replicas: 2, readinessDelay: 5), name: "web")
        cluster = cluster.step(to: Time.clusterEpoch.adding(3)).cluster
        let table = KubectlTable.pods(cluster.pods, now: cluster.now)
        #expect(table.headers == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        #expect(
            table.rows.map { Array($0.dropFirst()) } == [
                ["0/1", "Running", "0", "2s"], ["0/1", "Running", "0", "2s"],
            ])
        cluster = cluster.step(to: Time.clusterEpoch.adding(200)).cluster
        let later = KubectlTable.pods(cluster.pods, now: cluster.now)
        #expect(
            later.rows.map { Array($0.dropFirst()) } == [
                ["1/1", "Running", "0", "3m19s"], ["1/1", "Running", "0", "3m19s"],
            ])
        #expect(later.rows.map(\.first) == cluster.pods.map(\.name))
    }

    @Test func aCrashLoopingPodShowsBackOffAndItsLastRestart() {
        var cluster = SimCluster(faults: FaultPlan(faultsByImage: ["web:1": .crashLoop]))
        cluster.apply(Fixtures.spec(replicas: 1), name: "web")
        cluster = cluster.step(to: Time.clusterEpoch.adding(76)).cluster
        let table = KubectlTable.pods(cluster.pods, now: cluster.now)
        #expect(table.rows.map { Array($0.dropFirst()) } == [["0/1", "CrashLoopBackOff", "3 (5s ago)", "75s"]])
    }

    @Test func aPodNotStartedYetIsContainerCreating() {
        var cluster = SimCluster()
        cluster.apply(Fixtures.spec(replicas: 1), name: "web")
        cluster = cluster.step(to: Time.clusterEpoch.adding(2)).cluster
        // As its ReplicaSet creates it, before the kubelet starts it.
        let pod = Pod(name: "web-new", of: cluster.replicaSets[0], createdAt: cluster.now)
        #expect(
            KubectlTable.pods([pod], now: cluster.now).rows[0].dropFirst().prefix(2) == ["0/1", "ContainerCreating"])
    }

    @Test func eventsShowKindSlashName() {
        let events = [
            Event(
                about: "Deployment", namespace: "default", name: "web", reason: "ScalingReplicaSet",
                message: "Scaled up replica set web-5d8f7b9c6 to 3", at: Time.clusterEpoch.adding(1)),
            Event(
                about: "ReplicaSet", namespace: "default", name: "web-5d8f7b9c6", type: "Warning",
                reason: "FailedCreate", message: "quota exceeded", at: Time.clusterEpoch.adding(40)),
        ]
        #expect(
            KubectlTable.events(events, now: Time.clusterEpoch.adding(61)).rendered == """
                LAST SEEN   TYPE      REASON              OBJECT                     MESSAGE
                60s         Normal    ScalingReplicaSet   deployment/web             Scaled up replica set web-5d8f7b9c6 to 3
                21s         Warning   FailedCreate        replicaset/web-5d8f7b9c6   quota exceeded

                """)
    }
}
