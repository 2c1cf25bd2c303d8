import Foundation
import KeelsonTestSupport
import Testing

/// `keelson app …` as people manage their applications.
struct AppCLITests {
    @Test func addListSetRemove() async throws {
        let home = try TemporaryFolder()
        func app(_ arguments: String...) async throws -> Command.Outcome {
            try await KeelsonCLI.run(["app"] + arguments, home: home.path)
        }
        #expect(
            try await app("add", "web", "--repo", "git@github.com:acme/deploy.git", "--path", "apps/web", "--prune")
                .status
                == 0)
        let duplicate = try await app("add", "web", "--repo", "x", "--path", "y")
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("application \"web\" exists already"))
        #expect(try await app("set", "web", "--sync", "manual", "--interval", "5m").status == 0)
        let list = try await app("list")
        #expect(
            list.stdout.contains(
                "web   git@github.com:acme/deploy.git  main      apps/web  default    manual,prune  300s"))
        let json =
            try JSONSerialization.jsonObject(with: Data(try await app("list", "-o", "json").stdout.utf8))
            as? [[String: Any]]
        #expect(json?.first?["name"] as? String == "web")
        #expect(try await app("remove", "web").status == 0)
        #expect(try await app("remove", "web").stderr.contains("no application \"web\""))
    }

    @Test func aTokenInTheRepositoryAddressIsRefusedAndNeverPrinted() async throws {
        let home = try TemporaryFolder()
        let secret = "glpat-s3cr3t-t0ken"
        for arguments in [
            [
                "add", "web", "--repo", "https://deployer:\(secret)@git.example.com/acme/deploy.git", "--path",
                "apps/web",
            ],
            ["set", "web", "--repo", "https://oauth2:\(secret)@git.example.com/acme/deploy.git"],
        ] {
            if arguments[0] == "set" {
                let add = try await KeelsonCLI.run(
                    ["app", "add", "web", "--repo", "https://git.example.com/acme/deploy.git", "--path", "apps/web"],
                    home: home.path)
                #expect(add.status == 0, "\(add.stderr)")
            }
            let refused = try await KeelsonCLI.run(["app"] + arguments, home: home.path)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("carries a password or token"), "\(refused.stderr)")
            #expect(refused.stderr.contains("KEELSON_GIT_TOKEN"))
            #expect(!refused.stderr.contains(secret) && !refused.stdout.contains(secret))
        }
        let list = try await KeelsonCLI.run(["app", "list", "-o", "json"], home: home.path)
        #expect(list.stdout.contains("\"https://git.example.com/acme/deploy.git\""))
    }

    @Test func argoApplicationsAreImportedWithTheirIgnoredFieldsListed() async throws {
        let home = try TemporaryFolder()
        let folder = try TemporaryFolder()
        try Data(ArgoApplicationSample.text.utf8).write(to: URL(fileURLWithPath: folder.appending("app.yaml")))
        let outcome = try await KeelsonCLI.run(["app", "apply", "-f", folder.path], home: home.path)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "application \"guestbook\" created\n")
        #expect(
            outcome.stderr.contains("notice: \(folder.path)/app.yaml:1: spec.project: not used by Keelson; ignored"))
        #expect(
            try await KeelsonCLI.run(["app", "apply", "-f", folder.path], home: home.path).stdout
                == "application \"guestbook\" configured\n")
    }
}

enum ArgoApplicationSample {
    static let text = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: guestbook, namespace: argocd}
        spec:
          project: default
          source: {repoURL: "https://github.com/argoproj/argocd-example-apps.git", path: guestbook, targetRevision: main}
          destination: {server: "https://kubernetes.default.svc", namespace: guestbook}
        """
}
