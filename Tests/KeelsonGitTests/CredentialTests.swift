import Foundation
import KeelsonGit
import KeelsonTestSupport
import Testing

/// HTTPS authentication against a real smart-HTTP server (`git http-backend`) on loopback.
struct CredentialTests {
    static let token = "tok-7f3a9c-very-secret"

    struct Served {
        let fixture: MirrorFixture
        let server: LoopbackServer
        let log: String
        let head: ObjectID
        var url: String { "http://127.0.0.1:\(server.port)/remote.git" }

        init() throws {
            fixture = try MirrorFixture()
            head = try fixture.publish("first", ["apps/web/deploy.yaml": deployment("web", image: "web:1")])
            log = fixture.state.appending("requests.log")
            server = try LoopbackServer.gitHTTP(
                root: fixture.git.folder.path, user: "deployer", token: CredentialTests.token, log: log)
        }

        var requests: [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    @Test func theRightTokenFetches() async throws {
        let served = try Served()
        let credentials = GitCredentials(token: .init(user: "deployer", token: Secret(Self.token)))
        let mirror = try await served.fixture.mirror(served.url)
        let result = try await mirror.fetch("main", options: NetworkOptions(credentials: credentials))
        #expect(result.commit == served.head)
        #expect(served.requests.contains("ok"))
    }

    @Test func aWrongTokenFailsOnceWithoutLooping() async throws {
        let served = try Served()
        let credentials = GitCredentials(token: .init(user: "deployer", token: Secret("wrong-token-123")))
        let mirror = try await served.fixture.mirror(served.url)
        let error = await #expect(throws: GitError.self) {
            try await mirror.fetch("main", options: NetworkOptions(credentials: credentials, timeout: .seconds(20)))
        }
        #expect(error?.kind == .authenticationFailed)
        #expect(error?.description.contains("refused the token for user 'deployer'") == true)
        #expect(error?.description.contains("wrong-token-123") == false)
        #expect(served.requests.filter { $0 == "refused" }.count == 1)
        #expect(!served.requests.contains("ok"))
    }

    @Test func noCredentialsSaysWhichToConfigure() async throws {
        let served = try Served()
        let mirror = try await served.fixture.mirror(served.url)
        let error = await #expect(throws: GitError.self) { try await mirror.fetch("main") }
        #expect(error?.kind == .authenticationFailed)
        #expect(error?.description.contains("KEELSON_GIT_TOKEN") == true)
    }

    @Test func aTokenInTheAddressNeverAppearsInErrors() async throws {
        let served = try Served()
        let mirror = try await served.fixture.mirror(
            "http://deployer:leaky-secret@127.0.0.1:\(served.server.port)/missing.git")
        let error = await #expect(throws: GitError.self) { try await mirror.fetch("main") }
        #expect(error?.description.contains("leaky-secret") == false)
    }

    @Test func environmentProvidesSecretsFromVariablesOrFiles() throws {
        let folder = try TemporaryFolder()
        let tokenFile = folder.appending("token")
        try Data("from-file\n".utf8).write(to: URL(fileURLWithPath: tokenFile))
        let keyFile = folder.appending("id_ed25519")
        try Data("key".utf8).write(to: URL(fileURLWithPath: keyFile))
        try Data("key.pub".utf8).write(to: URL(fileURLWithPath: keyFile + ".pub"))

        let fromFile = try GitCredentials.fromEnvironment([
            "KEELSON_GIT_TOKEN_FILE": tokenFile, "KEELSON_GIT_USERNAME": "bot",
            "KEELSON_GIT_SSH_KEY_FILE": keyFile, "KEELSON_GIT_SSH_KEY_PASSPHRASE": "pass", "KEELSON_GIT_SSH_AGENT": "1",
        ])
        #expect(fromFile.token?.token.value == "from-file")
        #expect(fromFile.token?.user == "bot")
        #expect(fromFile.sshKey?.publicKeyPath == keyFile + ".pub")
        #expect(fromFile.sshKey?.passphrase?.value == "pass")
        #expect(fromFile.useSSHAgent)
        #expect(!"\(fromFile)".contains("from-file") && !"\(fromFile)".contains("pass\""))

        let direct = try GitCredentials.fromEnvironment(["KEELSON_GIT_TOKEN": "inline"])
        #expect(direct.token?.token.value == "inline")
        #expect(direct.token?.user == "git")
    }

    @Test(arguments: [
        (
            ["KEELSON_GIT_TOKEN_FILE": "/nonexistent/token"],
            "KEELSON_GIT_TOKEN_FILE: cannot read the file /nonexistent/token"
        ),
        (
            ["KEELSON_GIT_SSH_KEY_FILE": "/nonexistent/key"],
            "KEELSON_GIT_SSH_KEY_FILE: cannot read the file /nonexistent/key"
        ),
    ])
    func unreadableSecretFilesNameTheVariable(environment: [String: String], message: String) {
        let error = #expect(throws: CredentialError.self) { try GitCredentials.fromEnvironment(environment) }
        #expect(error?.description == message)
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "***")
        #expect(String(reflecting: secret) == "***")
    }
}
