import KeelsonCore
import KeelsonServer
import Testing

struct PushMatchTests {
    /// GitHub names the repository with the owner's capitals, whatever the application says.
    static let push = PushEvent(
        provider: .github,
        repositoryURLs: [
            "https://github.com/Acme/deploy.git", "git@github.com:Acme/deploy.git", "https://github.com/Acme/deploy",
            "git://github.com/Acme/deploy.git",
        ],
        ref: "refs/heads/main", commit: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
        changedPaths: ["apps/web/deployment.yaml", "README.md"])

    func app(_ name: String, _ repository: String, revision: String = "main", path: String = "apps/web")
        -> Application
    {
        Application(name: name, repository: repository, revision: revision, path: path)
    }

    @Test func everyFormOfTheRepositoryAddressMatches() {
        let apps = [
            app("https", "https://github.com/acme/deploy"),
            app("https-git-slash", "https://github.com/acme/deploy.git/"),
            app("ssh", "ssh://git@GitHub.com/acme/deploy/"),
            app("ssh-port", "ssh://git@github.com:22/acme/deploy.git"),
            app("scp", "git@github.com:acme/deploy.git"),
            app("scp-upper-host", "git@GITHUB.COM:Acme/deploy"),
        ]
        let match = PushMatch(push: Self.push, applications: apps)
        #expect(match.reconcile.map(\.name) == apps.map(\.name))
        #expect(match.skipped.isEmpty)
    }

    @Test func applicationsOfOtherRepositoriesAreNeitherReconciledNorSkipped() {
        let apps = [
            app("other-repo", "https://github.com/acme/deploy-staging"),
            app("other-host", "https://gitlab.com/acme/deploy"),
            app("other-port", "https://github.com:8443/acme/deploy"),
            app("unparsable", "ftp://github.com/acme/deploy"),
        ]
        let match = PushMatch(push: Self.push, applications: apps)
        #expect(match.reconcile.isEmpty)
        #expect(match.skipped.isEmpty)
    }

    @Test func theTrackedRevisionMustBeThePushedBranchOrItsFullRef() {
        let full = app("full-ref", "https://github.com/acme/deploy", revision: "refs/heads/main")
        let release = app("release", "https://github.com/acme/deploy", revision: "release")
        let pinned = app("sha", "https://github.com/acme/deploy", revision: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c")
        let match = PushMatch(push: Self.push, applications: [full, release, pinned])
        #expect(match.reconcile == [full])
        #expect(
            match.skipped == [
                PushMatch.Skip(application: release, reason: "tracks \"release\"; the push updated \"main\""),
                PushMatch.Skip(
                    application: pinned,
                    reason: "tracks \"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c\"; the push updated \"main\""),
            ])
    }

    @Test func aTagPushMatchesApplicationsTrackingTheTag() {
        var push = Self.push
        push.ref = "refs/tags/v1.4.2"
        let tagged = app("tagged", "https://github.com/acme/deploy", revision: "v1.4.2")
        let onMain = app("main", "https://github.com/acme/deploy")
        let match = PushMatch(push: push, applications: [tagged, onMain])
        #expect(match.reconcile == [tagged])
        #expect(match.skipped.map(\.application) == [onMain])
    }

    @Test(arguments: [
        ("apps/web", true), ("apps/web/", true), ("./apps/web", true), ("apps/web/deployment.yaml", true),
        ("", true), (".", true), ("apps", true), ("apps/we", false), ("apps/api", false), ("README", false),
    ])
    func onlyApplicationsWhosePathAChangedFileTouchesAreReconciled(path: String, touched: Bool) {
        let application = app("web", "https://github.com/acme/deploy", path: path)
        let match = PushMatch(push: Self.push, applications: [application])
        #expect(match.reconcile == (touched ? [application] : []))
        #expect(match.skipped.count == (touched ? 0 : 1))
    }

    @Test func aSkippedPathSaysWhy() {
        let api = app("api", "https://github.com/acme/deploy", path: "apps/api/")
        let match = PushMatch(push: Self.push, applications: [api])
        #expect(
            match.skipped == [
                PushMatch.Skip(application: api, reason: "none of the 2 changed files is under \"apps/api\"")
            ])
    }

    @Test func withTheFilesUnknownEveryPathMatches() {
        var push = Self.push
        push.changedPaths = nil
        let apps = [
            app("web", "https://github.com/acme/deploy"),
            app("api", "https://github.com/acme/deploy", path: "apps/api"),
        ]
        #expect(PushMatch(push: push, applications: apps).reconcile == apps)
    }
}
