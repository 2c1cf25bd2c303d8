import ArgumentParser
import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonManifests

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk through Keelson on the sample manifests: git in, validated desired state out.",
        discussion: """
            Creates a git repository from the manifests folder (with libgit2), mirrors it, renders \
            every application, then commits an image bump and a broken manifest and shows what \
            Keelson sees each time. Everything stays in <home>/demo, which is recreated on each run.
            """)

    @Option(name: .long, help: "The sample desired state: a folder with apps/<name>/ subfolders.")
    var manifests = "manifests"

    @OptionGroup var home: HomeOptions

    func run() async throws {
        try await reportingFailures {
            try await DemoStory(manifests: manifests, home: home.folder).tell()
        }
    }
}

/// The demo's steps, narrated.
private struct DemoStory {
    let manifests: String
    let home: String
    let author = Commit.Signature(name: "CI", email: "ci@example.com", date: Date())

    func tell() async throws {
        let work = (home as NSString).appendingPathComponent("demo")
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let sample = try readSample()
        let apps = Set(
            sample.keys.compactMap { path -> String? in
                let parts = path.split(separator: "/")
                return parts.count > 2 && parts[0] == "apps" ? "apps/\(parts[1])" : nil
            }
        ).sorted()
        guard !apps.isEmpty else { throw ValidationError("\(manifests) has no apps/<name>/ folders") }

        print("Keelson \(KeelsonVersion.current) on libgit2 \(LibGit2.version)")
        step(1, "A manifests repository, created from \(manifests)/ with libgit2")
        let writer = try RepositoryWriter(bareRepositoryAt: (work as NSString).appendingPathComponent("manifests.git"))
        let initial = try writer.commit(
            sample.mapValues { $0 }, onBranch: "main", message: "Initial manifests", author: author)
        say("\(sample.count) files, \(apps.count) applications: \(apps.joined(separator: ", "))")
        say("commit \(initial.short) \"Initial manifests\" at \(writer.url)")

        step(2, "Keelson mirrors it (a bare clone in \(work)/state/mirrors)")
        let loader = DesiredStateLoader(stateFolder: (work as NSString).appendingPathComponent("state"))
        let mirror = try await loader.mirrors.mirror(for: RemoteURL(writer.url))
        var head = try await fetch(mirror)

        step(3, "Every application's desired state, rendered and validated at \(head.short)")
        for app in apps {
            let state = try await loader.render(mirror, commit: head, path: app)
            say("\(app):")
            print(Narration.objectTable(state.manifests.objects, indent: "     "))
        }
        say("parsed \(loader.renderer.cache.statistics.parses) files")

        let target = try await firstDeployment(loader, mirror, head, apps)
        let bumped = try target.image.withTag(Self.nextTag(target.image.tag))
        step(4, "CI bumps \(target.name)'s image to \(bumped.tag ?? "")")
        let bumpedText = target.text.replacingOccurrences(of: target.image.description, with: bumped.description)
        let bump = try writer.commit(
            [target.file: Array(bumpedText.utf8)], onBranch: "main",
            message: "Bump \(target.name) to \(bumped.tag ?? "")",
            author: author)
        say("commit \(bump.short) changes \(target.file)")

        step(5, "Keelson fetches: only the new objects arrive, only the changed application is re-rendered")
        let previous = head
        head = try await fetch(mirror)
        let parsesBefore = loader.renderer.cache.statistics.parses
        for app in apps {
            let changes = try await mirror.changedPaths(from: previous, to: head, under: app)
            guard !changes.isEmpty else {
                say("\(app): unchanged (same tree id; no diff, no render)")
                continue
            }
            say("\(app): \(changes.map(\.description).joined(separator: ", "))")
            let state = try await loader.render(mirror, commit: head, path: app)
            for deployment in state.manifests.objects where deployment.deployment != nil {
                let images = deployment.deployment!.template.containers.map(\.image.description).joined(separator: ", ")
                say("  Deployment \(deployment.name) now runs \(images)")
            }
        }
        let parsed = loader.renderer.cache.statistics.parses - parsesBefore
        say("parsed \(parsed) file\(parsed == 1 ? "" : "s"); the rest came from the blob cache")
        say("tree diffs computed: \(await mirror.statistics.treeDiffs) of \(apps.count) applications")

        step(6, "Fetching again with nothing new")
        _ = try await fetch(mirror)

        step(7, "Someone commits a broken manifest")
        let broken = bumpedText.replacingFirst(of: #/replicas: *[0-9]+/#, with: "replicas: \"three\"")
        let bad = try writer.commit(
            [target.file: Array(broken.utf8)], onBranch: "main", message: "Scale \(target.name) (typo)", author: author)
        say("commit \(bad.short) \"Scale \(target.name) (typo)\"")
        head = try await fetch(mirror)
        do {
            _ = try await loader.render(mirror, commit: head, path: target.app)
            say("unexpectedly valid")
        } catch let failure as RenderFailure {
            say("refused; nothing of \(bad.short) would be applied:")
            for error in failure.errors { say("  \(error)") }
        }

        step(8, "History of \(target.app)")
        for commit in try await mirror.log(from: head, touching: target.app) {
            say("\(commit.id.short) \(commit.subject) (\(commit.author.name))")
        }
        print("\nDone. Try: keelson render \(manifests)/\(target.app)")
    }

    private struct Target {
        let app: String
        let file: String
        let name: String
        let image: ImageReference
        let text: String
    }

    /// The first Deployment container image in the sample, to bump.
    private func firstDeployment(_ loader: DesiredStateLoader, _ mirror: GitMirror, _ head: ObjectID, _ apps: [String])
        async throws -> Target
    {
        for app in apps {
            for object in try await loader.render(mirror, commit: head, path: app).manifests.objects {
                guard let image = object.deployment?.template.containers.first?.image else { continue }
                let file = object.source.file
                let text = String(
                    decoding: try await mirror.readFiles(under: file, at: head)[0].contents, as: UTF8.self)
                return Target(app: app, file: file, name: object.name, image: image, text: text)
            }
        }
        throw ValidationError("\(manifests) holds no Deployment to update")
    }

    private func fetch(_ mirror: GitMirror) async throws -> ObjectID {
        let started = ContinuousClock.now
        let result = try await mirror.fetch("main")
        say(Narration.describe(result, elapsed: ContinuousClock.now - started))
        return result.commit
    }

    /// Every file under the sample folder but hidden ones, keyed by repository path.
    private func readSample() throws -> [String: [UInt8]] {
        let root = URL(fileURLWithPath: manifests).standardizedFileURL
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { throw ValidationError("\(manifests): no such folder; run from the repository root or pass --manifests") }
        var files: [String: [UInt8]] = [:]
        for case let url as URL in walker
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
            files[relative] = Array(try Data(contentsOf: url))
        }
        guard !files.isEmpty else { throw ValidationError("\(manifests): no such folder or it is empty") }
        return files
    }

    /// `1.4.0` → `1.5.0`; anything else gets `-next`.
    static func nextTag(_ tag: String?) -> String {
        guard let tag else { return "next" }
        var parts = tag.split(separator: ".").map(String.init)
        if parts.count >= 2, let minor = Int(parts[1]) {
            parts[1] = String(minor + 1)
            if parts.count > 2 { parts[2] = "0" }
            return parts.joined(separator: ".")
        }
        return tag + "-next"
    }

    private func step(_ number: Int, _ title: String) {
        print("\n\(number). \(title)")
    }

    private func say(_ line: String) {
        print("   " + line)
    }
}

extension String {
    fileprivate func replacingFirst(of pattern: Regex<Substring>, with replacement: String) -> String {
        guard let match = firstMatch(of: pattern) else { return self }
        return replacingCharacters(in: match.range, with: replacement)
    }
}
