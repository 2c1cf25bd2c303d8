import Foundation
import KeelsonTestSupport
import Testing

/// `keelson cluster …` as a person rehearses a rollout with it.
struct ClusterCLITests {
    static let guestbook = KeelsonCLI.repositoryRoot + "/manifests/apps/guestbook"

    /// Runs `keelson cluster ARGUMENTS…` against `home`.
    static func cluster(_ home: TemporaryFolder) -> @Sendable (String...) async throws -> Command.Outcome {
        { (arguments: String...) in
            try await Command.execute(
                [KeelsonCLI.path, "cluster"] + arguments, environment: ["KEELSON_HOME": home.path])
        }
    }

    @Test func aFailedRolloutIsRehearsedAndUndone() async throws {
        let home = try TemporaryFolder()
        let run = Self.cluster(home)
        #expect(
            try await run("apply", "-f", Self.guestbook).stdout
                == "deployment.apps/guestbook created\nservice/guestbook created\n")
        let rolled = try await run("rollout", "status", "guestbook")
        #expect(rolled.status == 0)
        #expect(rolled.stdout.hasSuffix("deployment \"guestbook\" successfully rolled out\n"))
        #expect(try await run("get", "deployments").stdout.contains("guestbook   4/4     4            4"))

        #expect(
            try await run("fault", "add", "registry.example.com/shop/guestbook:2.*", "--mode", "crash-loop").status == 0
        )
        #expect(
            try await run(
                "set", "image", "deployment", "guestbook", "frontend=registry.example.com/shop/guestbook:2.0.0"
            )
            .status == 0)
        let failed = try await run("rollout", "status", "guestbook", "--timeout", "900")
        #expect(failed.status == 1)
        #expect(failed.stderr == "error: deployment \"guestbook\" exceeded its progress deadline\n")
        #expect(try await run("get", "pods").stdout.contains("CrashLoopBackOff"))

        #expect(try await run("rollout", "undo", "guestbook").stdout == "deployment.apps/guestbook rolled back\n")
        #expect(try await run("rollout", "status", "guestbook").status == 0)
        let json = try await run("get", "deployment", "guestbook", "-o", "json").stdout
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let annotations = (object?["metadata"] as? [String: Any])?["annotations"] as? [String: String]
        #expect(annotations?["deployment.kubernetes.io/revision"] == "3")
        let list = try JSONSerialization.jsonObject(with: Data(try await run("get", "rs", "-o", "json").stdout.utf8))
        #expect(((list as? [String: Any])?["items"] as? [Any])?.count == 2)
    }

    @Test func driftCanBeRehearsedAndStateSurvivesBetweenCommands() async throws {
        let home = try TemporaryFolder()
        let run = Self.cluster(home)
        _ = try await run("apply", "-f", Self.guestbook)
        _ = try await run("advance", "--until-settled")
        #expect(try await run("scale", "deployment", "guestbook", "--replicas", "2").status == 0)
        let advanced = try await run("advance", "--seconds", "30").stdout
        #expect(advanced.contains("SuccessfulDelete"))
        #expect(advanced.hasSuffix("cluster time: t+34s\n"))
        #expect(
            try await run("get", "pods", "-o", "json").stdout.components(separatedBy: "\"kind\": \"Pod\"").count == 3)
        let pod = try #require(
            try await run("get", "pods").stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first)
        #expect(try await run("delete", "pod", String(pod)).status == 0)
        #expect(try await run("advance", "--seconds", "1").stdout.contains("SuccessfulCreate"))
        #expect(try await run("reset").status == 0)
        #expect(try await run("get", "deployments").stdout == "No resources found in default namespace.\n")
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
    func badInputSaysWhatIsWrongAndExitsTwo(arguments: [String], message: String) async throws {
        let home = try TemporaryFolder()
        let outcome = try await Command.execute(
            [KeelsonCLI.path, "cluster"] + arguments, environment: ["KEELSON_HOME": home.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }
}
