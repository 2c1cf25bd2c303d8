import KeelsonKubernetes
import Testing

@testable import KeelsonManifests

@Suite struct CacheTests {
    @Test func anUnchangedBlobIsNeverParsedTwice() throws {
        let cache = ManifestCache()
        let renderer = ManifestRenderer(cache: cache)
        let deployment = ManifestFile(path: "app/web.yaml", blobID: "1111", text: Fixtures.deployment)
        let config = ManifestFile(path: "app/config.yaml", blobID: "2222", text: Fixtures.configMap("settings"))

        let first = try renderer.render([deployment, config])
        #expect(cache.statistics == ManifestCache.Statistics(hits: 0, parses: 2, entries: 2))

        let second = try renderer.render([deployment, config])
        #expect(cache.statistics == ManifestCache.Statistics(hits: 2, parses: 2, entries: 2))
        #expect(first == second)

        let changed = ManifestFile(path: "app/config.yaml", blobID: "3333", text: Fixtures.configMap("renamed"))
        let third = try renderer.render([deployment, changed])
        #expect(cache.statistics == ManifestCache.Statistics(hits: 3, parses: 3, entries: 3))
        #expect(third.objects.map(\.name) == ["renamed", "web"])
    }

    @Test func localFilesAreKeyedByAHashOfTheirContents() throws {
        let cache = ManifestCache()
        let renderer = ManifestRenderer(cache: cache)
        _ = try renderer.render([ManifestFile(path: "a.yaml", text: Fixtures.configMap("a"))])
        _ = try renderer.render([ManifestFile(path: "a.yaml", text: Fixtures.configMap("a"))])
        #expect(cache.statistics.parses == 1)
        _ = try renderer.render([ManifestFile(path: "a.yaml", text: Fixtures.configMap("b"))])
        #expect(cache.statistics.parses == 2)
    }

    @Test func aCachedBlobUnderAnotherPathReportsTheNewPath() {
        let cache = ManifestCache()
        let renderer = ManifestRenderer(cache: cache)
        let broken = Fixtures.deployment(replacing: "  replicas: 3", with: "  replicas: -3")
        for path in ["staging/web.yaml", "prod/web.yaml"] {
            #expect {
                try renderer.render([ManifestFile(path: path, blobID: "same-blob", text: broken)])
            } throws: { error in
                (error as? RenderFailure)?.errors.map(\.description) == [
                    "\(path):6: spec.replicas: expected a value greater than or equal to 0, found -3"
                ]
            }
        }
        #expect(cache.statistics.parses == 1)

        let good = ManifestFile(path: "prod/web.yaml", blobID: "good", text: Fixtures.deployment)
        let moved = ManifestFile(path: "prod/renamed.yaml", blobID: "good", text: Fixtures.deployment)
        #expect(
            (try? renderer.render([moved]))?.objects.first?.source == SourceLocation(file: "prod/renamed.yaml", line: 1)
        )
        #expect((try? renderer.render([good]))?.objects.first?.source == SourceLocation(file: "prod/web.yaml", line: 1))
    }

    @Test func crossFileChecksRunOnEveryRenderEvenWhenEveryFileIsCached() throws {
        let renderer = ManifestRenderer()
        let a = ManifestFile(path: "a.yaml", blobID: "a", text: Fixtures.configMap("settings"))
        let b = ManifestFile(path: "b.yaml", blobID: "b", text: Fixtures.configMap("settings"))
        _ = try renderer.render([a])
        _ = try renderer.render([b])
        #expect(throws: RenderFailure.self) { try renderer.render([a, b]) }
        #expect(renderer.cache.statistics.parses == 2)
    }

    @Test func theCacheKeepsAtMostItsBudgetOfBytesAndPromotesRecentHits() {
        func file(_ blob: String) -> ManifestFile {
            ManifestFile(path: "\(blob).yaml", blobID: blob, text: Fixtures.configMap(blob))
        }
        // Four files' worth: each generation holds two.
        let cache = ManifestCache(budget: 4 * file("a").contents.count)
        let renderer = ManifestRenderer(cache: cache)
        func render(_ blob: String) { _ = try? renderer.render([file(blob)]) }
        for blob in ["a", "b", "c", "d", "e", "f"] { render(blob) }
        #expect(cache.statistics.entries == 4)
        #expect(cache.statistics.parses == 6)
        render("f")  // still cached
        #expect(cache.statistics.parses == 6)
        render("a")  // evicted long ago
        #expect(cache.statistics.parses == 7)

        // A file larger than the whole budget is still kept, alone, until the next one.
        let large = ManifestFile(
            path: "large.yaml", blobID: "large",
            text: Fixtures.configMap("large") + "  # \(String(repeating: "x", count: 400))\n")
        _ = try? renderer.render([large])
        _ = try? renderer.render([large])
        #expect(cache.statistics.parses == 8)
    }

    @Test func concurrentRendersShareOneCacheSafely() async throws {
        let cache = ManifestCache()
        let files = (0..<50).map { index in
            ManifestFile(
                path: "app/\(index).yaml", blobID: "blob-\(index)", text: Fixtures.configMap("config-\(index)"))
        }
        let results = try await withThrowingTaskGroup(of: RenderedManifests.self) { group in
            for _ in 0..<8 {
                group.addTask { try ManifestRenderer(cache: cache).render(files) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results).count == 1)
        let statistics = cache.statistics
        #expect(statistics.entries == 50)
        #expect(statistics.hits + statistics.parses == 8 * 50)
        #expect(statistics.parses >= 50)
    }
}
