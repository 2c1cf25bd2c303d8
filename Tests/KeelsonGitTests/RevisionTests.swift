import KeelsonGit
import KeelsonTestSupport
import Testing

struct RevisionTests {
    @Test func lightweightAndAnnotatedTagsResolveToTheirCommits() async throws {
        let fixture = try MirrorFixture()
        let tagged = try fixture.publish("v1", ["a.yaml": "a: 1"])
        try fixture.git.git("tag", "v1.0.0")
        try fixture.git.git("tag", "-a", "v1.0.1", "-m", "release 1.0.1")
        try fixture.publish("later", ["a.yaml": "a: 2"])
        try fixture.git.git("push", "--quiet", "origin", "--tags")
        let mirror = try await fixture.mirror()
        let light = try await mirror.fetch("v1.0.0")
        #expect(light.kind == .tag)
        #expect(light.commit == tagged)
        let annotated = try await mirror.fetch("refs/tags/v1.0.1")
        #expect(annotated.commit == tagged)
        #expect(try await mirror.resolve("v1.0.1") == tagged)
        #expect(try await !mirror.fetch("v1.0.1").downloaded)
    }

    @Test func fullAndShortSHAsResolve() async throws {
        let fixture = try MirrorFixture()
        let first = try fixture.publish("first", ["a.yaml": "a: 1"])
        try fixture.publish("second", ["a.yaml": "a: 2"])
        let mirror = try await fixture.fetchedMirror()
        #expect(try await mirror.resolve(first.hex) == first)
        #expect(try await mirror.resolve(first.short) == first)
        #expect(try await mirror.resolve(String(first.hex.prefix(10)).uppercased()) == first)
    }

    @Test func aSHAOnAnotherBranchIsFetchedOnDemand() async throws {
        let fixture = try MirrorFixture()
        try fixture.publish("first", ["a.yaml": "a: 1"])
        let mirror = try await fixture.fetchedMirror()
        try fixture.git.git("checkout", "--quiet", "-b", "feature")
        try fixture.git.write("a.yaml", "a: feature")
        let feature = try fixture.git.commit("feature work")
        try fixture.git.git("push", "--quiet", "origin", "feature")
        let result = try await mirror.fetch(feature.short)
        #expect(result.kind == .commit)
        #expect(result.commit == feature)
        #expect(result.downloaded)
        #expect(try await mirror.resolve("feature") == feature)
    }

    @Test func anUnknownBranchNamesTheBranchesThatExist() async throws {
        let fixture = try MirrorFixture()
        try fixture.publish("first", ["a.yaml": "a: 1"])
        let mirror = try await fixture.mirror()
        let error = await #expect(throws: GitError.self) { try await mirror.fetch("mian") }
        #expect(error?.kind == .referenceNotFound)
        #expect(error?.description.contains("no branch or tag 'mian'") == true)
        #expect(error?.description.contains("branches: main") == true)
    }

    @Test func anUnknownRevisionSaysSo() async throws {
        let fixture = try MirrorFixture()
        try fixture.publish("first", ["a.yaml": "a: 1"])
        let mirror = try await fixture.fetchedMirror()
        let error = await #expect(throws: GitError.self) { try await mirror.resolve("deadbeef") }
        #expect(error?.kind == .revisionNotFound)
        #expect(error?.description.contains("'deadbeef'") == true)
    }
}

struct AmbiguityTests {
    @Test func aBranchAndATagOfOneNameMustBeSpelledOut() async throws {
        let fixture = try MirrorFixture()
        let head = try fixture.publish("first", ["a.yaml": "a: 1"])
        try fixture.git.git("tag", "main")
        try fixture.git.git("push", "--quiet", "origin", "refs/tags/main")
        let mirror = try await fixture.mirror()
        let error = await #expect(throws: GitError.self) { try await mirror.fetch("main") }
        #expect(error?.kind == .ambiguousRevision)
        #expect(try await mirror.fetch("refs/heads/main").commit == head)
        #expect(try await mirror.fetch("refs/tags/main").kind == .tag)
    }
}
