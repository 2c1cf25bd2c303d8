import KeelsonGit
import Testing

struct RemoteURLTests {
    @Test(arguments: [
        ("https://github.com/acme/deploy.git", RemoteURL.Transport.https, "github.com", "acme/deploy.git", "github.com/acme/deploy"),
        ("http://git.local:8080/acme/deploy", .http, "git.local", "acme/deploy", "git.local/acme/deploy"),
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

    @Test func scpAndHTTPSFormsOfOneRepositoryShareAKey() throws {
        let forms = ["https://github.com/acme/deploy", "git@github.com:acme/deploy.git", "ssh://git@github.com/acme/deploy/"]
        let keys = Set(try forms.map { try RemoteURL($0).canonicalKey })
        #expect(keys == ["github.com/acme/deploy"])
    }

    @Test func scpFormKeepsTheUser() throws {
        #expect(try RemoteURL("deploy@git.example.com:ops/manifests.git").user == "deploy")
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
