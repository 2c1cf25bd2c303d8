import Foundation
import KeelsonTestSupport
import Testing

/// `keelson cluster …` as a person rehearses a rollout with it.
struct ClusterCLITests {
    static let guestbook = KeelsonCLI.repositoryRoot + "/manifests/apps/guestbook"

    /// Runs `keelson cluster ARGUMENTS…` against `home`.
    static func cluster(_ home: TemporaryFolder) -> (String...) throws -> Command.Outcome {
        { (arguments: String...) in
            try Command.execute([KeelsonCLI.path, "cluster"] + arguments, environment: ["KEELSON_HOME": home.path])
        }
    }

    @Test func aFailedRolloutIsRehearsedAndUndone() throws {
        let home = try TemporaryFolder()
        let run = Self.cluster(home)
        #expect(
            try run("apply", "-f", Self.guestbook).stdout
                == "deployment.apps/guestbook created\nservice/guestbook created\n")
        let rolled = try run("rollout", "status", "guestbook")
        #expect(rolled.status == 0)
        #expect(rolled.stdout.hasSuffix("deployment \"guestbook\" successfully rolled out\n"))
        #expect(try run("get", "deployments").stdout.contains("guestbook   4/4     4            4"))

        #expect(try run("fault", "add", "registry.example.com/shop/guestbook:2.*", "--mode", "crash-loop").status == 0)
        #expect(
            try run("set", "image", "deployment", "guestbook", "frontend=registry.example.com/shop/guestbook:2.0.0")
                .status == 0)
        let failed = try run("rollout", "status", "guestbook", "--timeout", "900")
        #expect(failed.status == 1)
        #expect(failed.stderr == "error: deployment \"guestbook\" exceeded its progress deadline\n")
        #expect(try run("get", "pods").stdout.contains("CrashLoopBackOff"))

        #expect(try run("rollout", "undo", "guestbook").stdout == "deployment.apps/guestbook rolled back\n")
        #expect(try run("rollout", "status", "guestbook").status == 0)
        let json = try run("get", "deployment", "guestbook", "-o", "json").stdout
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let annotations = (object?["metadata"] as? [String: Any])?["annotations"] as? [String: String]
        #expect(annotations?["deployment.kubernetes.io/revision"] == "3")
        let list = try JSONSerialization.jsonObject(with: Data(try run("get", "rs", "-o", "json").stdout.utf8))
        #expect(((list as? [String: Any])?["items"] as? [Any])?.count == 2)
    }

    @Test func driftCanBeRehearsedAndStateSurvivesBetweenCommands() throws {
        let home = try TemporaryFolder()
        let run = Self.cluster(home)
        _ = try run("apply", "-f", Self.guestbook)
        _ = try run("advance", "--until-settled")
        #expect(try run("scale", "deployment", "guestbook", "--replicas", "2").status == 0)
        let advanced = try run("advance", "--seconds", "30").stdout
        #expect(advanced.contains("SuccessfulDelete"))
        #expect(advanced.hasSuffix("cluster time: t+34s\n"))
        #expect(try run("get", "pods", "-o", "json").stdout.components(separatedBy: "\"kind\": \"Pod\"").count == 3)
        let pod = try #require(
            try run("get", "pods").stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first)
        #expect(try run("delete", "pod", String(pod)).status == 0)
        #expect(try run("advance", "--seconds", "1").stdout.contains("SuccessfulCreate"))
        #expect(try run("reset").status == 0)
        #expect(try run("get", "deployments").stdout == "No resources found in default namespace.\n")
    }

    @Test(arguments: [
        (["fault", "add", "img", "--mode", "sometimes"], "--mode"),
        (["set", "image", "deployment", "guestbook", "frontend"], "expected CONTAINER=IMAGE"),
        (
            ["scale", "deployment", "missing", "--replicas", "1"],
            "deployment \"missing\" not found in namespace \"default\""
        ),
        (["advance"], "give --seconds N or --until-settled"),
        (["advance", "--until-settled", "--max-seconds", "0"], "--max-seconds must be positive"),
        (["rollout", "status", "guestbook", "--timeout", "0"], "--timeout must be positive"),
        (["rollout", "undo", "missing"], "deployment \"missing\" not found"),
    ])
    func badInputSaysWhatIsWrongAndExitsTwo(arguments: [String], message: String) throws {
        let home = try TemporaryFolder()
        let outcome = try Command.execute(
            [KeelsonCLI.path, "cluster"] + arguments, environment: ["KEELSON_HOME": home.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }
}
