import Foundation
import KeelsonGit
import KeelsonTestSupport
import Testing

/// SSH against a real OpenSSH `sshd` on loopback (`SSHServer`): key and agent authentication,
/// host-key verification and push, end to end through libgit2 and libssh2.
///
/// Only `ssh://user@host:port/path` addresses are used: the scp-like `user@host:path` form cannot
/// carry a port, and libgit2 does not read `~/.ssh/config`, so it cannot reach a server on a
/// non-standard port. Its parsing is covered by `RemoteURLTests`.
///
/// Serialized: each test runs its own sshd, and the agent test sets `SSH_AUTH_SOCK` for the process.
@Suite(.serialized, .enabled(if: SSHServer.isAvailable, "needs /usr/sbin/sshd (Debian openssh-server)"))
struct SSHTests {
    static let passphrase = "pass-9d41e7-very-secret"

    /// A fixture repository served by its own sshd, with a known_hosts file that trusts it.
    struct Served {
        let fixture: MirrorFixture
        let server: SSHServer
        let keys: TemporaryFolder
        let head: ObjectID
        let knownHosts: String

        var url: String { server.url(path: fixture.git.remotePath) }

        init() throws {
            fixture = try MirrorFixture()
            head = try fixture.publish("first", ["apps/web/deploy.yaml": deployment("web", image: "web:1")])
            server = try SSHServer()
            keys = try TemporaryFolder("keelson-keys")
            knownHosts = keys.appending("known_hosts")
            try writeKnownHosts(server.knownHostsLine)
        }

        func writeKnownHosts(_ lines: String...) throws {
            try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: knownHosts))
        }

        /// A new key, authorized on the server unless `authorized` is false.
        func key(_ name: String = "id_ed25519", passphrase: String = "", authorized: Bool = true) throws -> SSHKeyPair {
            let key = try SSHKeyPair(in: keys, name: name, passphrase: passphrase)
            if authorized { try server.authorize(key) }
            return key
        }

        func options(
            _ key: SSHKeyPair?, passphrase: String? = nil, publicKey: Bool = true, agent: Bool = false,
            user: String = "git"
        ) -> NetworkOptions {
            let sshKey = key.map {
                GitCredentials.SSHKey(
                    privateKeyPath: $0.privateKeyPath, publicKeyPath: publicKey ? $0.publicKeyPath : nil,
                    passphrase: passphrase.map(Secret.init))
            }
            return NetworkOptions(
                credentials: GitCredentials(
                    sshKey: sshKey, useSSHAgent: agent, sshUser: user, hostKeys: .knownHosts(path: knownHosts)),
                timeout: .seconds(30))
        }

        func count(_ text: String) -> Int { server.log.components(separatedBy: text).count - 1 }
    }

    /// Runs `body` and returns how long it took.
    static func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        return (value, clock.now - start)
    }

    // MARK: Keys

    @Test(arguments: [true, false])
    func anUnencryptedKeyFetches(withPublicKeyFile: Bool) async throws {
        let served = try Served()
        let key = try served.key()
        let mirror = try await served.fixture.mirror(served.url)
        let result = try await mirror.fetch("main", options: served.options(key, publicKey: withPublicKeyFile))
        #expect(result.commit == served.head)
        #expect(result.downloaded)
        #expect(served.count("Accepted publickey for \(served.server.user)") == 1)
        #expect(try await mirror.resolve("main") == served.head)
    }

    @Test(arguments: [true, false])
    func anEncryptedKeyFetchesWithItsPassphrase(withPublicKeyFile: Bool) async throws {
        let served = try Served()
        let key = try served.key(passphrase: Self.passphrase)
        let mirror = try await served.fixture.mirror(served.url)
        let result = try await mirror.fetch(
            "main", options: served.options(key, passphrase: Self.passphrase, publicKey: withPublicKeyFile))
        #expect(result.commit == served.head)
        #expect(served.count("Accepted publickey for \(served.server.user)") == 1)
    }

    @Test func theUserCanComeFromTheCredentialsInsteadOfTheAddress() async throws {
        let served = try Served()
        let key = try served.key()
        let mirror = try await served.fixture.mirror(
            "ssh://127.0.0.1:\(served.server.port)\(served.fixture.git.remotePath)")
        let result = try await mirror.fetch("main", options: served.options(key, user: served.server.user))
        #expect(result.commit == served.head)
    }

    @Test func aLaterFetchOverSSHFollowsNewCommits() async throws {
        let served = try Served()
        let key = try served.key()
        let mirror = try await served.fixture.mirror(served.url)
        _ = try await mirror.fetch("main", options: served.options(key))
        let second = try served.fixture.publish("second", ["apps/web/deploy.yaml": deployment("web", image: "web:2")])
        let result = try await mirror.fetch("main", options: served.options(key))
        #expect(result.commit == second)
        #expect(result.previous == served.head)
    }

    @Test func aKeyTheServerDoesNotKnowFailsOnceWithoutLooping() async throws {
        let served = try Served()
        _ = try served.key("authorized")
        let stranger = try served.key("stranger", authorized: false)
        let mirror = try await served.fixture.mirror(served.url)
        let (error, elapsed) = await Self.timed {
            await #expect(throws: GitError.self) { try await mirror.fetch("main", options: served.options(stranger)) }
        }
        #expect(error?.kind == .authenticationFailed)
        #expect(
            error?.description.contains(
                "refused the SSH key \(stranger.privateKeyPath) for user '\(served.server.user)'") == true)
        #expect(elapsed < .seconds(10))
        // libssh2 asks the server whether it would accept the key once, and the callback gives up
        // when libgit2 asks again: one refusal in sshd's log, no retries.
        #expect(served.count("Failed publickey for \(served.server.user)") == 1)
        #expect(served.count("Accepted publickey") == 0)
    }

    @Test(arguments: ["not-the-passphrase", nil])
    func aWrongOrMissingPassphraseFailsAsAuthentication(given: String?) async throws {
        let served = try Served()
        let key = try served.key(passphrase: Self.passphrase)
        let mirror = try await served.fixture.mirror(served.url)
        for publicKey in [true, false] {
            let (error, elapsed) = await Self.timed {
                await #expect(throws: GitError.self) {
                    try await mirror.fetch(
                        "main", options: served.options(key, passphrase: given, publicKey: publicKey))
                }
            }
            #expect(
                error?.kind == .authenticationFailed, "with public key file: \(publicKey): \(String(describing: error))"
            )
            #expect(error?.description.contains(key.privateKeyPath) == true, "\(String(describing: error))")
            #expect(error?.description.contains("passphrase") == true, "\(String(describing: error))")
            #expect(elapsed < .seconds(10))
            if let given, let error {
                #expect(!error.description.contains(given))
                #expect(!String(reflecting: error).contains(given))
            }
        }
        #expect(served.count("Accepted publickey") == 0)
    }

    // MARK: ssh-agent

    @Test func sshAgentKeysFetch() async throws {
        let served = try Served()
        let key = try served.key()
        let agent = try SSHAgent()
        try agent.add(key)
        #expect(try agent.listKeys().contains(try key.publicKey()))
        // libssh2 finds the agent through SSH_AUTH_SOCK in this process's environment; the suite is
        // serialized and nothing else in the tests reads it.
        let previous = getenv("SSH_AUTH_SOCK").map { String(cString: $0) }
        setenv("SSH_AUTH_SOCK", agent.socketPath, 1)
        defer {
            if let previous { setenv("SSH_AUTH_SOCK", previous, 1) } else { unsetenv("SSH_AUTH_SOCK") }
        }
        let mirror = try await served.fixture.mirror(served.url)
        let result = try await mirror.fetch("main", options: served.options(nil, agent: true))
        #expect(result.commit == served.head)
        #expect(served.count("Accepted publickey for \(served.server.user)") == 1)
    }

    // MARK: Host keys

    @Test func aHashedKnownHostsEntryIsTrusted() async throws {
        let served = try Served()
        let key = try served.key()
        try await Command.run(["ssh-keygen", "-q", "-H", "-f", served.knownHosts])
        #expect(try String(contentsOfFile: served.knownHosts, encoding: .utf8).hasPrefix("|1|"))
        let mirror = try await served.fixture.mirror(served.url)
        let result = try await mirror.fetch("main", options: served.options(key))
        #expect(result.commit == served.head)
    }

    @Test func aDifferentHostKeyIsRejected() async throws {
        let served = try Served()
        let key = try served.key()
        let impostor = try SSHKeyPair(in: served.keys, name: "impostor_host_key")
        try served.writeKnownHosts("[127.0.0.1]:\(served.server.port) \(try impostor.publicKey())")
        let mirror = try await served.fixture.mirror(served.url)
        let error = await #expect(throws: GitError.self) {
            try await mirror.fetch("main", options: served.options(key))
        }
        #expect(error?.kind == .hostKeyRejected)
        #expect(
            error?.description.contains(
                "the host key of [127.0.0.1]:\(served.server.port) does not match \(served.knownHosts)") == true)
        #expect(served.count("Accepted publickey") == 0)
    }

    @Test func anUnknownHostIsRejectedWithAHint() async throws {
        let served = try Served()
        let key = try served.key()
        // The same key, but for port 22 and another host: neither is this server.
        try served.writeKnownHosts(
            "127.0.0.1 \(served.server.hostPublicKey)", "example.com \(served.server.hostPublicKey)")
        let mirror = try await served.fixture.mirror(served.url)
        let error = await #expect(throws: GitError.self) {
            try await mirror.fetch("main", options: served.options(key))
        }
        #expect(error?.kind == .hostKeyRejected)
        #expect(error?.description.contains("[127.0.0.1]:\(served.server.port) is not in \(served.knownHosts)") == true)
        #expect(error?.description.contains("ssh-keyscan") == true)
        #expect(served.count("Accepted publickey") == 0)
    }

    @Test func acceptAnySkipsTheCheck() async throws {
        let served = try Served()
        let key = try served.key()
        try served.writeKnownHosts()
        var options = served.options(key)
        options.credentials.hostKeys = .acceptAny
        let mirror = try await served.fixture.mirror(served.url)
        #expect(try await mirror.fetch("main", options: options).commit == served.head)
    }

    // MARK: Push

    @Test func restoringPushesOverSSH() async throws {
        let served = try Served()
        let key = try served.key(passphrase: Self.passphrase)
        let options = served.options(key, passphrase: Self.passphrase)
        let good = served.head
        let bad = try served.fixture.publish("bad", ["apps/web/deploy.yaml": deployment("web", image: "web:broken")])
        let mirror = try await served.fixture.mirror(served.url)
        _ = try await mirror.fetch("main", options: options)

        let revert = try #require(
            try await mirror.pushRestoring(
                ["apps/web"], to: good, onBranch: "main", message: "Roll back apps/web", author: RestoreTests.bot,
                options: options))

        let remote = served.fixture.git
        let log = try remote.gitRemote("log", "--format=%H %an %s", "-2", "main")
        #expect(log == "\(revert.hex) Keelson Roll back apps/web\n\(bad.hex) Ada Author bad\n")
        #expect(try remote.gitRemote("show", "main:apps/web/deploy.yaml") == deployment("web", image: "web:1"))
        #expect(try await mirror.resolve("main") == revert)
    }

    // MARK: Secrets

    @Test func thePassphraseNeverAppearsInErrors() async throws {
        let served = try Served()
        let key = try served.key(passphrase: Self.passphrase)
        let stranger = try served.key("stranger", passphrase: Self.passphrase, authorized: false)
        var errors: [GitError] = []
        let mirror = try await served.fixture.mirror(served.url)
        // Refused key, host key rejected, repository missing: each with the passphrase configured.
        for (options, address) in [
            (served.options(stranger, passphrase: Self.passphrase), served.url),
            (served.options(key, passphrase: Self.passphrase), served.server.url(path: "/nonexistent/repo.git")),
        ] {
            let target = address == served.url ? mirror : try await served.fixture.mirror(address)
            if let error = await #expect(
                throws: GitError.self, performing: { try await target.fetch("main", options: options) })
            {
                errors.append(error)
            }
        }
        try served.writeKnownHosts()
        if let error = await #expect(
            throws: GitError.self,
            performing: {
                try await mirror.fetch("main", options: served.options(key, passphrase: Self.passphrase))
            })
        {
            errors.append(error)
        }
        #expect(errors.count == 3)
        for error in errors {
            #expect(!error.description.contains(Self.passphrase), "\(error)")
            #expect(!String(reflecting: error).contains(Self.passphrase))
            #expect(!"\(error.message) \(error.operation)".contains(Self.passphrase))
        }
    }
}
