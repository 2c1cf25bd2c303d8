import KeelsonGit
import KeelsonTestSupport
import Testing

struct TreeTests {
    static let layout = [
        "apps/web/deploy.yaml": deployment("web", image: "web:1"),
        "apps/web/service.yaml": "kind: Service",
        "apps/web/config/app.json": "{}",
        "apps/api/deploy.yaml": deployment("api", image: "api:1"),
        "README.md": "# manifests",
    ]

    @Test func listsFilesUnderAFolderInGitOrder() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("layout", Self.layout)
        let mirror = try await fixture.fetchedMirror()
        let files = try await mirror.files(under: "apps/web/", at: head)
        #expect(files.map(\.path) == ["apps/web/config/app.json", "apps/web/deploy.yaml", "apps/web/service.yaml"])
        for file in files {
            #expect(file.blobID == (try fixture.git.revParse("HEAD:\(file.path)")))
        }
        #expect(try await mirror.files(under: "", at: head).count == 5)
        #expect(try await mirror.files(under: "./apps/api", at: head).map(\.path) == ["apps/api/deploy.yaml"])
    }

    @Test func readsBytesOfAFolderOrOneFile() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("layout", Self.layout)
        let mirror = try await fixture.fetchedMirror()
        let files = try await mirror.readFiles(under: "apps/web", at: head)
        #expect(String(decoding: files[1].contents, as: UTF8.self) == Self.layout["apps/web/deploy.yaml"])
        let single = try await mirror.readFiles(under: "apps/web/service.yaml", at: head)
        #expect(single.map(\.path) == ["apps/web/service.yaml"])
        #expect(single.first?.contents == Array("kind: Service".utf8))
    }

    @Test func symlinksAndExecutablesAreMarked() async throws {
        let fixture = try MirrorFixture()
        try fixture.git.write("apps/web/run.sh", "#!/bin/sh\n")
        try await Command.run(["chmod", "+x", "apps/web/run.sh"], in: fixture.git.workPath)
        try await Command.run(["ln", "-s", "../../outside.yaml", "apps/web/link.yaml"], in: fixture.git.workPath)
        let head = try fixture.git.commitAndPush("files")
        let mirror = try await fixture.fetchedMirror()
        let kinds = try await mirror.files(under: "apps/web", at: head).map { "\($0.path) \($0.kind)" }
        #expect(kinds == ["apps/web/link.yaml symlink", "apps/web/run.sh executable"])
    }

    @Test func aMissingPathIsAnError() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("layout", Self.layout)
        let mirror = try await fixture.fetchedMirror()
        let error = await #expect(throws: GitError.self) { try await mirror.files(under: "apps/nope", at: head) }
        #expect(error?.description.contains("apps/nope") == true)
    }
}

struct SymlinkTests {
    @Test func aLinkInsideTheRepositoryReadsAsItsTarget() async throws {
        let fixture = try MirrorFixture()
        try fixture.git.write("base/deploy.yaml", "kind: Deployment")
        try await Command.run(["mkdir", "-p", "apps/web"], in: fixture.git.workPath)
        try await Command.run(["ln", "-s", "../../base/deploy.yaml", "apps/web/deploy.yaml"], in: fixture.git.workPath)
        let head = try fixture.git.commitAndPush("link")
        let mirror = try await fixture.fetchedMirror()
        let file = try #require(try await mirror.readFiles(under: "apps/web", at: head).first)
        #expect(file.path == "apps/web/deploy.yaml")
        #expect(file.contents == Array("kind: Deployment".utf8))
        #expect(file.blobID == (try fixture.git.revParse("HEAD:base/deploy.yaml")))
    }

    @Test(arguments: [
        ("../../../etc/passwd", "outside the repository"),
        ("/etc/passwd", "absolute path outside the repository"),
        ("../missing.yaml", "does not exist at this commit"),
        ("../../base", "a folder"),
    ])
    func linksThatLeaveTheTreeOrLeadNowhereAreRefused(target: String, fragment: String) async throws {
        let fixture = try MirrorFixture()
        try fixture.git.write("base/deploy.yaml", "kind: Deployment")
        try await Command.run(["mkdir", "-p", "apps/web"], in: fixture.git.workPath)
        try await Command.run(["ln", "-s", target, "apps/web/link.yaml"], in: fixture.git.workPath)
        let head = try fixture.git.commitAndPush("link")
        let mirror = try await fixture.fetchedMirror()
        let error = await #expect(throws: GitError.self) { try await mirror.readFiles(under: "apps/web", at: head) }
        #expect(error?.description.contains("apps/web/link.yaml") == true)
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }
}
