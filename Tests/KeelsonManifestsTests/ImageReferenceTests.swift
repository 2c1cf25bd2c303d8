import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

@Suite struct ImageReferenceTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    struct Parsed: Sendable, CustomTestStringConvertible {
        let text: String
        let registry: String?
        let path: String
        let tag: String?
        let digest: String?
        var testDescription: String { text }
    }

    @Test(arguments: [
        Parsed(text: "nginx", registry: nil, path: "nginx", tag: nil, digest: nil),
        Parsed(text: "nginx:1.27-alpine", registry: nil, path: "nginx", tag: "1.27-alpine", digest: nil),
        Parsed(text: "library/nginx:latest", registry: nil, path: "library/nginx", tag: "latest", digest: nil),
        Parsed(text: "ghcr.io/acme/web:1.0.0", registry: "ghcr.io", path: "acme/web", tag: "1.0.0", digest: nil),
        Parsed(
            text: "registry.example.com:5000/team/sub/app:v2_rc.1", registry: "registry.example.com:5000",
            path: "team/sub/app", tag: "v2_rc.1", digest: nil),
        Parsed(text: "localhost/app", registry: "localhost", path: "app", tag: nil, digest: nil),
        Parsed(text: "localhost:5000/app:dev", registry: "localhost:5000", path: "app", tag: "dev", digest: nil),
        Parsed(text: "[::1]:5000/app", registry: "[::1]:5000", path: "app", tag: nil, digest: nil),
        Parsed(
            text: "10.0.0.1:5000/my__app/web-x.y", registry: "10.0.0.1:5000", path: "my__app/web-x.y", tag: nil,
            digest: nil),
        Parsed(text: "web@\(digest)", registry: nil, path: "web", tag: nil, digest: digest),
        Parsed(
            text: "ghcr.io/acme/web:1.0@\(digest)", registry: "ghcr.io", path: "acme/web", tag: "1.0", digest: digest),
        Parsed(text: "a--b/c", registry: nil, path: "a--b/c", tag: nil, digest: nil),
    ])
    func validReferencesSplitIntoTheirParts(_ expected: Parsed) throws {
        let reference = try ImageReference(parsing: expected.text)
        #expect(reference.registry == expected.registry)
        #expect(reference.path == expected.path)
        #expect(reference.tag == expected.tag)
        #expect(reference.digest == expected.digest)
        #expect(reference.description == expected.text)
    }

    @Test(arguments: [
        ("", ImageReference.ParseError.empty),
        ("Nginx", .uppercaseRepository("Nginx")),
        ("acme/Web", .uppercaseRepository("Web")),
        ("acme//web", .invalidPathComponent("")),
        ("acme/web-", .invalidPathComponent("web-")),
        ("acme/we$b", .invalidPathComponent("we$b")),
        ("a___b", .invalidPathComponent("a___b")),
        ("ghcr.io/", .invalidPathComponent("")),
        ("web:", .invalidTag("")),
        ("web:-x", .invalidTag("-x")),
        ("web:\(String(repeating: "t", count: 129))", .invalidTag(String(repeating: "t", count: 129))),
        ("web@sha256:abc", .invalidDigest("sha256:abc")),
        ("web@md5:\(String(repeating: "a", count: 32))", .invalidDigest("md5:\(String(repeating: "a", count: 32))")),
        (
            "web@sha256:\(String(repeating: "A", count: 64))",
            .invalidDigest("sha256:\(String(repeating: "A", count: 64))")
        ),
        ("reg_istry.io/app", .invalidRegistry("reg_istry.io")),
        ("registry.io:port/app", .invalidRegistry("registry.io:port")),
        ("-registry.io/app", .invalidRegistry("-registry.io")),
        ("ghcr.io/\(String(repeating: "a", count: 250))", .nameTooLong(258)),
    ])
    func invalidReferencesSayWhichPartIsWrong(_ text: String, _ expected: ImageReference.ParseError) {
        #expect(throws: expected) { try ImageReference(parsing: text) }
    }

    @Test func withTagReplacesTheTagAndDropsTheDigest() throws {
        let pinned = try ImageReference(parsing: "ghcr.io/acme/web:1.0.0@\(Self.digest)")
        #expect(try pinned.withTag("1.1.0").description == "ghcr.io/acme/web:1.1.0")
        #expect(try ImageReference(parsing: "nginx").withTag("1.27").description == "nginx:1.27")
        #expect(throws: ImageReference.ParseError.invalidTag("bad tag")) { try pinned.withTag("bad tag") }
    }

    @Test func withDigestPinsTheReference() throws {
        let reference = try ImageReference(parsing: "ghcr.io/acme/web:1.0.0")
        #expect(try reference.withDigest(Self.digest).description == "ghcr.io/acme/web:1.0.0@\(Self.digest)")
        #expect(throws: ImageReference.ParseError.invalidDigest("sha256:x")) { try reference.withDigest("sha256:x") }
        #expect(reference.name == "ghcr.io/acme/web")
    }
}
