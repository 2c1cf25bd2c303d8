import CGit2
import Foundation

/// The state libgit2's remote callbacks need during one network operation: credentials to offer
/// (each at most once), the SSH host-key policy, the abort signal and progress observer.
///
/// Lives on the thread running the operation; passed to C as the callbacks' payload.
final class RemoteSession {
    let remote: RemoteURL
    let options: NetworkOptions
    let signal: AbortSignal
    /// Set by a callback that failed on purpose, so the thrown error says why instead of libgit2's
    /// generic "callback returned -7".
    private(set) var failure: GitError?
    private(set) var pushRejections: [String: String] = [:]
    /// How many credentials this connection has offered; see `beginConnection()`.
    private var offered = 0
    /// The SSH key file offered last on this connection, to explain libssh2's failures to use it.
    private var offeredKey: GitCredentials.SSHKey?
    let operation: String

    init(remote: RemoteURL, options: NetworkOptions, signal: AbortSignal, operation: String) {
        self.remote = remote
        self.options = options
        self.signal = signal
        self.operation = operation
    }

    /// Starts a new connection: each configured credential may be offered once more. One session
    /// serves several connections (`pushRestoring` fetches, then pushes), and every SSH connection
    /// authenticates afresh.
    func beginConnection() {
        offered = 0
        offeredKey = nil
    }

    /// Callbacks wired to this session. The session must outlive every libgit2 call using them.
    func callbacks() -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, _, usernameFromURL, allowed, payload in
            RemoteSession.from(payload).credential(
                out, username: usernameFromURL.map { String(cString: $0) }, allowed: allowed)
        }
        callbacks.certificate_check = { cert, valid, _, payload in
            RemoteSession.from(payload).checkCertificate(cert, valid: valid != 0)
        }
        callbacks.transfer_progress = { stats, payload in
            let session = RemoteSession.from(payload)
            if let stats, let observe = session.options.progress {
                observe(
                    TransferProgress(
                        totalObjects: Int(stats.pointee.total_objects),
                        receivedObjects: Int(stats.pointee.received_objects),
                        indexedObjects: Int(stats.pointee.indexed_objects),
                        receivedBytes: Int(stats.pointee.received_bytes)))
            }
            return session.abortCode()
        }
        callbacks.sideband_progress = { _, _, payload in RemoteSession.from(payload).abortCode() }
        callbacks.push_transfer_progress = { _, _, _, payload in RemoteSession.from(payload).abortCode() }
        callbacks.push_update_reference = { refname, status, payload in
            if let refname, let status {
                RemoteSession.from(payload).pushRejections[String(cString: refname)] = String(cString: status)
            }
            return 0
        }
        return callbacks
    }

    /// Tells the options' observer that a request ended.
    func ended(_ request: GitRequestKind, succeeded: Bool) {
        options.requests?(request, succeeded)
    }

    /// Tells the options' observer that `request` failed, and returns the error to throw.
    func failed(_ request: GitRequestKind, code: Int32) -> GitError {
        let error = error(for: code)
        ended(request, succeeded: false)
        return error
    }

    /// The error to throw for a failed libgit2 call made with this session's callbacks.
    func error(for code: Int32) -> GitError {
        switch signal.reason {
        case .cancelled: return GitError(operation: operation, kind: .cancelled, message: "the operation was cancelled")
        case .timedOut: return GitError(operation: operation, kind: .timedOut, message: "the time limit ran out")
        case .none: break
        }
        if let failure { return failure }
        let error = GitError.last(code, operation)
        var kind = error.kind
        var message = redact(error.message)
        if let key = offeredKey, error.errorClass == Int32(GIT_ERROR_SSH.rawValue),
            ["authenticat", "private key", "passphrase"].contains(where: message.lowercased().contains)
        {
            // libssh2 could not load or use the key (a wrong or missing passphrase, an unreadable
            // or unsupported file): an authentication problem, not a network one.
            kind = .authenticationFailed
            message = "could not use the SSH key \(key.privateKeyPath): \(message)\(RemoteSession.passphraseHint(key))"
        }
        if remote.transport == .local || remote.transport == .file, !FileManager.default.fileExists(atPath: remote.path)
        {
            kind = .repositoryNotFound
            message = "nothing exists at \(remote.path) (\(message))"
        }
        return GitError(
            operation: operation, kind: kind, message: message, code: error.code, errorClass: error.errorClass)
    }

    /// Removes every secret this session knows of from `text`.
    func redact(_ text: String) -> String {
        var secrets = remote.secrets
        if let token = options.credentials.token?.token.value { secrets.append(token) }
        if let passphrase = options.credentials.sshKey?.passphrase?.value { secrets.append(passphrase) }
        return secrets.filter { !$0.isEmpty }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    func abortCode() -> Int32 {
        signal.reason == .none ? 0 : GIT_EUSER.rawValue
    }

    private static func from(_ payload: UnsafeMutableRawPointer?) -> RemoteSession {
        Unmanaged<RemoteSession>.fromOpaque(payload!).takeUnretainedValue()
    }

    // MARK: Credentials

    /// Offers each configured credential that fits `allowed` once; libgit2 calls back until one
    /// works, so a second call for the same kind means it was refused and we stop.
    private func credential(
        _ out: CredentialOut, username: String?, allowed: UInt32
    ) -> Int32 {
        if abortCode() != 0 { return abortCode() }
        let credentials = options.credentials
        let sshUser = username ?? remote.user ?? credentials.sshUser
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, sshUser)
        }
        var candidates: [(String, (CredentialOut) -> Int32)] = []
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, let token = credentials.token {
            candidates.append(
                (
                    "the token for user '\(token.user)'",
                    {
                        git_credential_userpass_plaintext_new($0, username ?? token.user, token.token.value)
                    }
                ))
        }
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            if let key = credentials.sshKey {
                candidates.append(
                    (
                        "the SSH key \(key.privateKeyPath) for user '\(sshUser)'",
                        {
                            git_credential_ssh_key_new(
                                $0, sshUser, key.publicKeyPath, key.privateKeyPath, key.passphrase?.value)
                        }
                    ))
            }
            if credentials.useSSHAgent {
                candidates.append(
                    (
                        "ssh-agent's keys for user '\(sshUser)'",
                        {
                            git_credential_ssh_key_from_agent($0, sshUser)
                        }
                    ))
            }
        }
        guard offered < candidates.count else {
            let tried = candidates.map(\.0)
            let message: String
            if tried.isEmpty {
                message =
                    "\(remote) asks for credentials and none that it accepts are configured "
                    + "(\(RemoteSession.describe(allowed: allowed))); set KEELSON_GIT_TOKEN or KEELSON_GIT_TOKEN_FILE for "
                    + "HTTPS, KEELSON_GIT_SSH_KEY_FILE or KEELSON_GIT_SSH_AGENT=1 for SSH"
            } else {
                let keyWasTried = tried.contains { $0.hasPrefix("the SSH key ") }
                message =
                    "\(remote) refused " + tried.joined(separator: ", then ")
                    + (keyWasTried ? credentials.sshKey.map(RemoteSession.passphraseHint) ?? "" : "")
            }
            failure = GitError(
                operation: operation, kind: .authenticationFailed, message: message, code: GIT_EAUTH.rawValue)
            return GIT_EAUTH.rawValue
        }
        let (description, make) = candidates[offered]
        offered += 1
        offeredKey = description.hasPrefix("the SSH key ") ? credentials.sshKey : nil
        return make(out)
    }

    /// Why an encrypted key may have failed, or nothing for a key without a passphrase.
    static func passphraseHint(_ key: GitCredentials.SSHKey) -> String {
        guard SSHKeyFile.isEncrypted(atPath: key.privateKeyPath) else { return "" }
        if key.passphrase == nil {
            return " (the key is encrypted and no passphrase is configured: set KEELSON_GIT_SSH_KEY_PASSPHRASE or "
                + "KEELSON_GIT_SSH_KEY_PASSPHRASE_FILE)"
        }
        return " (the key is encrypted: if the server knows it, check the passphrase)"
    }

    private static func describe(allowed: UInt32) -> String {
        var kinds: [String] = []
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 { kinds.append("user and token") }
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 { kinds.append("SSH key") }
        return "it accepts: " + (kinds.isEmpty ? "a method Keelson does not offer" : kinds.joined(separator: " or "))
    }

    // MARK: Host verification

    private func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>?, valid: Bool) -> Int32 {
        guard let cert, cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            // HTTPS: keep libgit2's own verdict against the system's CA bundle.
            return GIT_PASSTHROUGH.rawValue
        }
        guard case .knownHosts(let path) = options.credentials.hostKeys else { return 0 }
        let hostKey = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey else {
            return reject("libssh2 did not provide the raw host key to check against \(path)")
        }
        let key = Array(UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len))
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            return reject("cannot read the known_hosts file \(path); add the host with `ssh-keyscan`")
        }
        let host = remote.knownHostsName
        switch KnownHosts(contents: contents).verdict(host: host, key: key) {
        case .trusted: return 0
        case .unknownHost:
            return reject("\(host) is not in \(path); verify its key and add it (ssh-keyscan \(remote.host))")
        case .keyMismatch:
            return reject(
                "the host key of \(host) does not match \(path): possible man-in-the-middle, or the key changed")
        case .revoked:
            return reject("the host key of \(host) is marked @revoked in \(path)")
        }
    }

    private func reject(_ message: String) -> Int32 {
        failure = GitError(
            operation: operation, kind: .hostKeyRejected, message: message, code: GIT_ECERTIFICATE.rawValue)
        return GIT_ECERTIFICATE.rawValue
    }
}

/// Where libgit2's credentials callback wants the credential it asked for.
typealias CredentialOut = UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?
