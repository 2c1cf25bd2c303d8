import Foundation

/// How Keelson authenticates to remotes and verifies SSH hosts. Secrets come from environment
/// variables or files, never from the command line, and never print.
public struct GitCredentials: Sendable {
    /// A user name and token (or password) for `https://` remotes.
    public struct Token: Sendable {
        public var user: String
        public var token: Secret
        public init(user: String, token: Secret) {
            self.user = user
            self.token = token
        }
    }

    /// An SSH private key file, with its passphrase when it is encrypted.
    public struct SSHKey: Sendable {
        public var privateKeyPath: String
        public var publicKeyPath: String?
        public var passphrase: Secret?
        public init(privateKeyPath: String, publicKeyPath: String? = nil, passphrase: Secret? = nil) {
            self.privateKeyPath = privateKeyPath
            self.publicKeyPath = publicKeyPath
            self.passphrase = passphrase
        }
    }

    /// Which SSH host keys are trusted.
    public enum HostKeyPolicy: Sendable {
        /// Only keys listed in this OpenSSH `known_hosts` file (plain and hashed host names).
        case knownHosts(path: String)
        /// Any key. For tests and throw-away set-ups only.
        case acceptAny
    }

    public var token: Token?
    public var sshKey: SSHKey?
    /// Offer the keys held by the running `ssh-agent` (`SSH_AUTH_SOCK`).
    public var useSSHAgent: Bool
    /// The user name for SSH when the address has none.
    public var sshUser: String
    public var hostKeys: HostKeyPolicy

    public init(
        token: Token? = nil, sshKey: SSHKey? = nil, useSSHAgent: Bool = false, sshUser: String = "git",
        hostKeys: HostKeyPolicy = .knownHosts(path: GitCredentials.defaultKnownHostsPath)
    ) {
        self.token = token
        self.sshKey = sshKey
        self.useSSHAgent = useSSHAgent
        self.sshUser = sshUser
        self.hostKeys = hostKeys
    }

    /// No credentials; SSH hosts checked against `~/.ssh/known_hosts`.
    public static let anonymous = GitCredentials()

    public static var defaultKnownHostsPath: String {
        (NSHomeDirectory() as NSString).appendingPathComponent(".ssh/known_hosts")
    }

    /// Reads credentials from the environment:
    ///
    /// | variable | meaning |
    /// | --- | --- |
    /// | `KEELSON_GIT_TOKEN` or `KEELSON_GIT_TOKEN_FILE` | HTTPS token or password |
    /// | `KEELSON_GIT_USERNAME` | HTTPS user name (default `git`) and SSH user when the address has none |
    /// | `KEELSON_GIT_SSH_KEY_FILE` | SSH private key; its `.pub` is used when present |
    /// | `KEELSON_GIT_SSH_KEY_PASSPHRASE` or `…_PASSPHRASE_FILE` | passphrase of that key |
    /// | `KEELSON_GIT_SSH_AGENT=1` | offer ssh-agent's keys |
    /// | `KEELSON_GIT_SSH_KNOWN_HOSTS` | known_hosts file (default `~/.ssh/known_hosts`); `insecure-accept-any` turns checking off |
    ///
    /// - Throws: `CredentialError` naming the variable when a file cannot be read or is empty.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> GitCredentials
    {
        let user = environment["KEELSON_GIT_USERNAME"].flatMap { $0.isEmpty ? nil : $0 }
        var credentials = GitCredentials(sshUser: user ?? "git")
        if let token = try secret("KEELSON_GIT_TOKEN", in: environment) {
            credentials.token = Token(user: user ?? "git", token: token)
        }
        if let keyPath = environment["KEELSON_GIT_SSH_KEY_FILE"], !keyPath.isEmpty {
            guard FileManager.default.isReadableFile(atPath: keyPath) else {
                throw CredentialError(variable: "KEELSON_GIT_SSH_KEY_FILE", problem: "cannot read the file \(keyPath)")
            }
            let publicKey = keyPath + ".pub"
            credentials.sshKey = SSHKey(
                privateKeyPath: keyPath,
                publicKeyPath: FileManager.default.isReadableFile(atPath: publicKey) ? publicKey : nil,
                passphrase: try secret("KEELSON_GIT_SSH_KEY_PASSPHRASE", in: environment))
        }
        credentials.useSSHAgent = ["1", "true", "yes"].contains(
            environment["KEELSON_GIT_SSH_AGENT"]?.lowercased() ?? "")
        if let knownHosts = environment["KEELSON_GIT_SSH_KNOWN_HOSTS"], !knownHosts.isEmpty {
            credentials.hostKeys = knownHosts == "insecure-accept-any" ? .acceptAny : .knownHosts(path: knownHosts)
        }
        return credentials
    }

    /// `NAME` itself, or the contents of the file named by `NAME_FILE` with one trailing newline removed.
    private static func secret(_ name: String, in environment: [String: String]) throws -> Secret? {
        if let value = environment[name], !value.isEmpty { return Secret(value) }
        guard let path = environment[name + "_FILE"], !path.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialError(variable: name + "_FILE", problem: "cannot read the file \(path)")
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else {
            throw CredentialError(variable: name + "_FILE", problem: "the file \(path) is empty")
        }
        return Secret(text)
    }
}

/// A credential setting that cannot be used.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    public let variable: String
    public let problem: String
    public var description: String { "\(variable): \(problem)" }
}
