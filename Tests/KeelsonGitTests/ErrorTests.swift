import Foundation
import KeelsonGit
import KeelsonTestSupport
import Testing

struct ErrorTests {
    @Test func aMissingRepositoryIsNotFound() async throws {
        let fixture = try MirrorFixture()
        let mirror = try await fixture.mirror("file:///nonexistent/keelson/repo.git")
        let error = await #expect(throws: GitError.self) { try await mirror.fetch("main") }
        #expect(error?.kind == .repositoryNotFound)
        #expect(error?.description.contains("/nonexistent/keelson/repo.git") == true)
    }

    @Test func aFolderThatIsNotARepositorySaysSo() async throws {
        let fixture = try MirrorFixture()
        let plain = try TemporaryFolder("keelson-plain")
        let mirror = try await fixture.mirror("file://" + plain.path)
        let error = await #expect(throws: GitError.self) { try await mirror.fetch("main") }
        #expect(error?.kind == .notARepository)
    }

    @Test func errorsCarryOperationCodeAndClass() async throws {
        let fixture = try MirrorFixture()
        let mirror = try await fixture.mirror("file:///nonexistent/keelson/repo.git")
        let error = try #require(await #expect(throws: GitError.self) { try await mirror.fetch("main") })
        #expect(error.operation == "fetch 'main' from file:///nonexistent/keelson/repo.git")
        #expect(error.code < 0)
        #expect(error.errorClass != 0)
        #expect(!error.message.isEmpty)
    }
}
