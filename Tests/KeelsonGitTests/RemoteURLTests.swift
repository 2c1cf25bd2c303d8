import KeelsonGit
import Testing

struct RemoteURLTests {
    @Test(arguments: [
        (
            "https://github.com/acme/deploy.git", RemoteURL.Transport.https, "github.com", "acme/deploy.git",
            "github.com/acme/deploy"
        ),
        ("http://git.local:8080/acme/deploy", .http, "git.local", "acme/deploy", "git.local:8080/acme/deploy"),
        ("ssh://git@GitHub.com:22/acme/deploy.git", .ssh, "github.com", "acme/deploy.git", "github.com/acme/deploy"),
        ("git@github.com:acme/deploy.git", .ssh, "github.com", "acme/deploy.git", "github.com/acme/deploy"),
        ("github.com:acme/deploy", .ssh, "github.com", "acme/deploy", "github.com/acme/deploy"),
        ("file:///srv/git/deploy.git", .file, "", "/srv/git/deploy.git", "file:///srv/git/deploy"),
        ("/srv/git/deploy.git/", .local, "", "/srv/git/deploy.git", "file:///srv/git/deploy"),
    ])
    func parsesEveryForm(
        input: String, transport: RemoteURL.Transport, host: String, path: String, key: String
    ) throws {
        let url = try RemoteURL(input)
        #expect(url.transport == transport)
        #expect(url.host == host)
        #expect(url.path == path)
        #expect(url.canonicalKey == key)
    }

    /// Mirrors and webhook matching both rely on this: `x` and `x.git` must never be two repositories.
    @Test func scpAndHTTPSFormsOfOneRepositoryShareAKey() throws {
        let forms = [
            "https://github.com/acme/deploy", "git@github.com:acme/deploy.git", "ssh://git@github.com/acme/deploy/",
            "https://GitHub.com/acme/deploy.git/", "http://github.com/acme/deploy.git", "git@GITHUB.COM:acme/deploy",
            "ssh://git@github.com:22/acme/deploy.git/", "https://token@github.com:443/acme/deploy.git",
        ]
        let keys = Set(try forms.map { try RemoteURL($0).canonicalKey })
        #expect(keys == ["github.com/acme/deploy"])
    }

    @Test func scpFormKeepsTheUser() throws {
        #expect(try RemoteURL("deploy@git.example.com:ops/manifests.git").user == "deploy")
    }

    @Test(arguments: [
        (
            "https://bot:p%40ss-w0rd@git.example.com/r.git", ["p%40ss-w0rd", "p@ss-w0rd"],
            "https://bot:***@git.example.com/r.git"
        ),
        (
            "https://ghp_0123456789abcdefABCDEF@github.com/a/b", ["ghp_0123456789abcdefABCDEF"],
            "https://***@github.com/a/b"
        ),
        ("https://git@github.com/a/b", ["never-present"], "https://git@github.com/a/b"),
    ])
    func secretsInAddressesNeverPrint(address: String, secrets: [String], printed: String) throws {
        let url = try RemoteURL(address)
        #expect(url.description == printed)
        for secret in secrets { #expect(!url.description.contains(secret)) }
    }

    @Test(arguments: [
        ("https://git.example.com:443/a/b", "git.example.com/a/b"),
        ("ssh://git@git.example.com:22/a/b", "git.example.com/a/b"),
        ("https://git.example.com:3000/a/b", "git.example.com:3000/a/b"),
    ])
    func nonDefaultPortsKeepRepositoriesApart(address: String, key: String) throws {
        let url = try RemoteURL(address)
        #expect(url.canonicalKey == key)
    }

    @Test func passwordNeverPrints() throws {
        let url = try RemoteURL("https://bot:s3cr3t-token@git.example.com/acme/deploy.git")
        #expect(!url.description.contains("s3cr3t-token"))
        #expect(url.description == "https://bot:***@git.example.com/acme/deploy.git")
    }

    @Test(arguments: [
        ("", "empty"),
        ("ftp://host/repo", "unsupported scheme 'ftp'"),
        ("https:///repo", "expected https://host/path"),
        ("https://host", "no repository path"),
        ("file://relative/path", "absolute path"),
    ])
    func rejectsMalformedAddresses(input: String, fragment: String) {
        let error = #expect(throws: GitError.self) { try RemoteURL(input) }
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }
}
