import Crypto
import Foundation

/// An OpenSSH `known_hosts` file: plain, wildcard and hashed (`|1|salt|hash`) host patterns,
/// `@revoked` keys. `@cert-authority` lines are ignored (libgit2 1.5 does not pass certificates).
struct KnownHosts {
    enum Verdict: Equatable {
        case trusted
        case unknownHost
        case keyMismatch
        case revoked
    }

    private struct Entry {
        var patterns: [String]
        var hashed: (salt: [UInt8], hash: [UInt8])?
        var revoked: Bool
        var key: [UInt8]
    }

    private let entries: [Entry]

    init(contents: String) {
        var entries: [Entry] = []
        for rawLine in contents.split(whereSeparator: \.isNewline) {
            var fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { continue }
            var entry = Entry(patterns: [], hashed: nil, revoked: revoked, key: Array(key))
            if fields[0].hasPrefix("|1|") {
                let parts = fields[0].split(separator: "|")
                guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
                    let hash = Data(base64Encoded: String(parts[2]))
                else { continue }
                entry.hashed = (Array(salt), Array(hash))
            } else {
                entry.patterns = fields[0].split(separator: ",").map(String.init)
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// Whether `key` (the SSH wire-format public key blob) is trusted for `host`
    /// (`name` or `[name]:port`, as known_hosts writes it).
    func verdict(host: String, key: [UInt8]) -> Verdict {
        // OpenSSH refuses a revoked key wherever its line stands, so look at every line first.
        let forHost = entries.filter { matches($0, host: host) }
        if forHost.contains(where: { $0.revoked && $0.key == key }) { return .revoked }
        let listed = forHost.filter { !$0.revoked }
        if listed.contains(where: { $0.key == key }) { return .trusted }
        return listed.isEmpty ? .unknownHost : .keyMismatch
    }

    private func matches(_ entry: Entry, host: String) -> Bool {
        if let hashed = entry.hashed {
            let mac = HMAC<Insecure.SHA1>.authenticationCode(
                for: Array(host.utf8), using: SymmetricKey(data: hashed.salt))
            return Array(mac) == hashed.hash
        }
        var matched = false
        for pattern in entry.patterns {
            if pattern.hasPrefix("!") {
                if KnownHosts.wildcard(String(pattern.dropFirst()), matches: host) { return false }
            } else if KnownHosts.wildcard(pattern, matches: host) {
                matched = true
            }
        }
        return matched
    }

    /// OpenSSH host patterns: `*` any run of characters, `?` exactly one; case-insensitive.
    static func wildcard(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern.lowercased())
        let t = Array(text.lowercased())
        var pi = 0, ti = 0, starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == "*" {
                starP = pi
                starT = ti
                pi += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
