import Foundation

/// A git remote address in any of the forms people write: a local path, `file://`, `http(s)://`,
/// `ssh://` and scp-like `git@host:org/repo.git`.
public struct RemoteURL: Hashable, Sendable, CustomStringConvertible {
    /// How the remote is reached.
    public enum Transport: String, Sendable {
        case local, file, http, https, ssh
    }

    public let transport: Transport
    /// Host name, lowercased; empty for local and `file://` remotes.
    public let host: String
    public let port: Int?
    /// User name from the address (`git` in `git@host:repo`), if any.
    public let user: String?
    /// Repository path as written, without a leading slash for network remotes.
    public let path: String
    /// What libgit2 is given. May hold a password for `https://user:pass@host` addresses.
    let libgit2URL: String
    /// Secrets embedded in the address (encoded and decoded), to scrub from libgit2's messages.
    let secrets: [String]

    /// Whether the address carries a password or token (`https://user:TOKEN@host/…`).
    public var hasEmbeddedSecret: Bool { !secrets.isEmpty }

    /// Parses a remote address.
    ///
    /// - Parameter string: the address as a user wrote it.
    /// - Throws: `GitError` of kind `.other` when the address has none of the supported forms.
    public init(_ string: String) throws {
        let text = string.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw RemoteURL.invalid(string, "the address is empty") }
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            guard let transport = Transport(rawValue: scheme), transport != .local else {
                throw RemoteURL.invalid(string, "unsupported scheme '\(scheme)'; use https, http, ssh or file")
            }
            if transport == .file {
                let path = String(text[schemeEnd.upperBound...])
                guard path.hasPrefix("/") else {
                    throw RemoteURL.invalid(string, "a file:// address needs an absolute path")
                }
                self.init(transport: .file, host: "", port: nil, user: nil, secrets: [], path: path, libgit2URL: text)
                return
            }
            guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
                throw RemoteURL.invalid(string, "expected \(scheme)://host/path")
            }
            let path = components.percentEncodedPath.drop(while: { $0 == "/" })
            guard !path.isEmpty else { throw RemoteURL.invalid(string, "the address has no repository path") }
            self.init(
                transport: transport, host: host.lowercased(), port: components.port, user: components.user,
                secrets: RemoteURL.embeddedSecrets(in: components), path: String(path), libgit2URL: text)
            return
        }
        if RemoteURL.looksLikeSCP(text) {
            let colon = text.firstIndex(of: ":")!
            let userHost = text[..<colon]
            let path = text[text.index(after: colon)...].drop(while: { $0 == "/" })
            var user: String?
            var host = Substring(userHost)
            if let at = userHost.lastIndex(of: "@") {
                user = String(userHost[..<at])
                host = userHost[userHost.index(after: at)...]
            }
            guard !host.isEmpty, !path.isEmpty else { throw RemoteURL.invalid(string, "expected user@host:path") }
            self.init(
                transport: .ssh, host: host.lowercased(), port: nil, user: user, secrets: [], path: String(path),
                libgit2URL: text)
            return
        }
        let absolute = URL(fileURLWithPath: (text as NSString).expandingTildeInPath).standardizedFileURL.path
        self.init(transport: .local, host: "", port: nil, user: nil, secrets: [], path: absolute, libgit2URL: absolute)
    }

    private init(
        transport: Transport, host: String, port: Int?, user: String?, secrets: [String], path: String,
        libgit2URL: String
    ) {
        self.transport = transport
        self.host = host
        self.port = port
        self.user = user
        self.secrets = secrets
        self.path = path
        self.libgit2URL = libgit2URL
    }

    /// The address with any password or token removed: safe for logs and error messages.
    public var description: String {
        secrets.reduce(libgit2URL) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// A password, in the form written and decoded; or, with no password, a user part long enough
    /// to be a token (`https://<token>@github.com/…`, as GitHub allows). Short user names such as
    /// `git` are not secrets, and scrubbing them from messages would garble the messages.
    private static func embeddedSecrets(in components: URLComponents) -> [String] {
        var candidates: [String?] = []
        if components.password != nil {
            candidates = [components.percentEncodedPassword, components.password]
        } else if let user = components.user, user.count >= 16 {
            candidates = [components.percentEncodedUser, user]
        }
        var secrets: [String] = []
        for case let candidate? in candidates where !candidate.isEmpty && !secrets.contains(candidate) {
            secrets.append(candidate)
        }
        // Longest first, so an encoded form is replaced whole before its decoded part.
        return secrets.sorted { $0.count > $1.count }
    }

    /// One key for every way of writing the same repository: `host/org/repo` for network remotes
    /// (scheme, user, default ports and a trailing `.git` ignored; other ports kept), `file:///abs/path` for
    /// local ones. Used to name cache folders and to match webhook payloads to applications.
    public var canonicalKey: String {
        var trimmed = path
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        if trimmed.hasSuffix(".git") { trimmed.removeLast(4) }
        switch transport {
        case .local, .file: return "file://" + trimmed
        case .http, .https, .ssh:
            let defaultPort = [Transport.http: 80, .https: 443, .ssh: 22][transport]
            let hostPort = port.map { $0 == defaultPort ? host : "\(host):\($0)" } ?? host
            return hostPort + "/" + trimmed
        }
    }

    /// `[host]:port` as OpenSSH's known_hosts writes a host on a non-default port.
    var knownHostsName: String {
        if let port, port != 22 { return "[\(host)]:\(port)" }
        return host
    }

    private static func looksLikeSCP(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        if let slash = text.firstIndex(of: "/"), slash < colon { return false }
        // `C:\repo` is a Windows drive, never a host.
        return text.distance(from: text.startIndex, to: colon) > 1
    }

    private static func invalid(_ string: String, _ why: String) -> GitError {
        GitError(operation: "parse remote address '\(string)'", kind: .other, message: why)
    }
}
