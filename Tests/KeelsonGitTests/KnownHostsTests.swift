import Foundation
import Testing

@testable import KeelsonGit

struct KnownHostsTests {
    static let keyA: [UInt8] = Array("key-A-wire-format".utf8)
    static let keyB: [UInt8] = Array("key-B-wire-format".utf8)
    static var a: String { Data(keyA).base64EncodedString() }
    static var b: String { Data(keyB).base64EncodedString() }

    static var file: String {
        """
        # comment
        github.com,140.82.121.4 ssh-ed25519 \(a)
        *.corp.example,!bad.corp.example ssh-ed25519 \(a)
        |1|AAECAwQFBgcICQoLDA0ODxAREhM=|iB8ji+G7JiWchxZqOjryGAnIiTo= ssh-ed25519 \(b)
        old.example ssh-ed25519 \(b)
        @revoked old.example ssh-ed25519 \(b)
        old.example ssh-ed25519 \(a)
        @cert-authority *.example ssh-ed25519 \(b)
        """
    }

    @Test(arguments: [
        ("github.com", keyA, KnownHosts.Verdict.trusted),
        ("GitHub.com", keyA, .trusted),
        ("github.com", keyB, .keyMismatch),
        ("gitlab.com", keyA, .unknownHost),
        ("git.corp.example", keyA, .trusted),
        ("bad.corp.example", keyA, .unknownHost),
        ("[git.example.com]:2222", keyB, .trusted),
        ("[git.example.com]:2222", keyA, .keyMismatch),
        ("git.example.com", keyB, .unknownHost),
        ("old.example", keyB, .revoked),
        ("old.example", keyA, .trusted),
    ])
    func verdicts(host: String, key: [UInt8], expected: KnownHosts.Verdict) {
        #expect(KnownHosts(contents: Self.file).verdict(host: host, key: key) == expected)
    }

    @Test(arguments: [("*.x.io", "a.x.io", true), ("h?st", "host", true), ("h?st", "hoost", false), ("*", "any", true)])
    func wildcards(pattern: String, host: String, matches: Bool) {
        #expect(KnownHosts.wildcard(pattern, matches: host) == matches)
    }
}
