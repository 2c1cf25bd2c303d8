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
    private let password: String?

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
                guard path.hasPrefix("/") else { throw RemoteURL.invalid(string, "a file:// address needs an absolute path") }
                self.init(transport: .file, host: "", port: nil, user: nil, password: nil, path: path, libgit2URL: text)
                return
            }
            guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
                throw RemoteURL.invalid(string, "expected \(scheme)://host/path")
            }
            let path = components.percentEncodedPath.drop(while: { $0 == "/" })
            guard !path.isEmpty else { throw RemoteURL.invalid(string, "the address has no repository path") }
            self.init(
                transport: transport, host: host.lowercased(), port: components.port, user: components.user,
                password: components.password, path: String(path), libgit2URL: text)
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
                transport: .ssh, host: host.lowercased(), port: nil, user: user, password: nil, path: String(path),
                libgit2URL: text)
            return
        }
        let absolute = URL(fileURLWithPath: (text as NSString).expandingTildeInPath).standardizedFileURL.path
        self.init(transport: .local, host: "", port: nil, user: nil, password: nil, path: absolute, libgit2URL: absolute)
    }

    private init(
        transport: Transport, host: String, port: Int?, user: String?, password: String?, path: String,
        libgit2URL: String
    ) {
        self.transport = transport
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.path = path
        self.libgit2URL = libgit2URL
    }

    /// The address with any password removed: safe for logs and error messages.
    public var description: String {
        guard let password, !password.isEmpty else { return libgit2URL }
        return libgit2URL.replacingOccurrences(of: ":\(password)@", with: ":***@")
    }

    /// One key for every way of writing the same repository: `host/org/repo` for network remotes
    /// (scheme, user, port-less defaults and a trailing `.git` ignored), `file:///abs/path` for
    /// local ones. Used to name cache folders and to match webhook payloads to applications.
    public var canonicalKey: String {
        var trimmed = path
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        if trimmed.hasSuffix(".git") { trimmed.removeLast(4) }
        switch transport {
        case .local, .file: return "file://" + trimmed
        case .http, .https, .ssh: return host + "/" + trimmed
        }
    }

    /// Secrets embedded in the address, to scrub from libgit2's messages.
    var secrets: [String] { password.map { [$0] } ?? [] }

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
