import ArgumentParser
import Foundation
import KeelsonCore
import KeelsonGit
import KeelsonKubernetes
import KeelsonManifests
import KeelsonSimulator

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The whole story on the sample manifests: commit, deploy, roll out, fail, roll back.",
        discussion: """
            Creates a git repository from the manifests folder (with libgit2), registers its applications, \
            deploys them to the simulated cluster, then commits an image bump, a broken image, a typo and a fix, \
            and forces a rollback, narrating what Keelson does each time. Everything stays in <home>/demo, which \
            is recreated on each run; look around afterwards with `keelson --home <home>/demo/state status`.
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
        let started = ContinuousClock.now
        let work = (home as NSString).appendingPathComponent("demo")
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let sample = try readSample()
        let apps = Set(
            sample.keys.compactMap { path -> String? in
                let parts = path.split(separator: "/")
                return parts.count > 2 && parts[0] == "apps" ? String(parts[1]) : nil
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

        step(2, "The applications, registered as `keelson app add NAME --repo … --path apps/NAME` would")
        let state = (work as NSString).appendingPathComponent("state")
        let workspace = try Workspace(folder: state)
        try workspace.store.put(apps.map { Application(name: $0, repository: writer.url, path: "apps/\($0)") })
        say("automated sync, auto-rollback on; state in \(state)")

        step(3, "First reconcile: fetch, render, compare with the (empty) simulated cluster, apply, follow")
        for app in apps { try await reconcile(app, workspace) }

        let target = try await firstDeployment(workspace, writer.url, apps)
        let bumped = try target.image.withTag(Self.nextTag(target.image.tag))
        step(4, "CI bumps \(target.name) to \(bumped.tag ?? ""); Keelson rolls it out (maxSurge/maxUnavailable)")
        let bumpedText = target.text.replacingOccurrences(of: target.image.description, with: bumped.description)
        try commit(writer, target.file, bumpedText, "Bump \(target.name) to \(bumped.tag ?? "")")
        try await reconcile(target.app, workspace, watching: target.name)
        for app in apps where app != target.app { try await reconcile(app, workspace) }

        let brokenImage = try bumped.withTag((bumped.tag ?? "next") + "-broken")
        step(5, "CI ships \(brokenImage.tag ?? ""), an image whose pods crash on start")
        try await workspace.simulatedCluster().addFault(.crashLoop, image: "*-broken")
        say("(the simulated cluster makes every image tagged *-broken crash-loop)")
        try commit(
            writer, target.file, bumpedText.replacingOccurrences(of: bumped.description, with: brokenImage.description),
            "Bump \(target.name) to \(brokenImage.tag ?? "")")
        try await reconcile(target.app, workspace, watching: target.name)

        step(6, "The next reconcile does not retry the failed commit")
        try await reconcile(target.app, workspace)

        step(7, "Someone commits a typo: refused, nothing applied, live state unchanged")
        let typo = bumpedText.replacingFirst(of: #/replicas: *[0-9]+/#, with: "replicas: \"three\"")
        try commit(writer, target.file, typo, "Scale \(target.name) (typo)")
        try await reconcile(target.app, workspace)

        let fixed = try bumped.withTag(Self.nextTag(bumped.tag))
        step(8, "The fix, \(fixed.tag ?? ""), is a new commit: the pin is released and it rolls out")
        try commit(
            writer, target.file, bumpedText.replacingOccurrences(of: bumped.description, with: fixed.description),
            "Bump \(target.name) to \(fixed.tag ?? "")")
        try await reconcile(target.app, workspace)

        step(9, "A person forces a rollback: keelson rollback \(target.app) --wait")
        var rollback = Reconciler.RollbackOptions()
        rollback.wait = .seconds(600)
        print(indented(ReportOutput.lines(try await workspace.reconciler.rollback(target.app, options: rollback))))
        say("and the scheduled reconcile keeps it:")
        try await reconcile(target.app, workspace)

        step(10, "keelson history \(target.app)")
        for entry in try workspace.store.history(of: target.app) {
            say(
                "#\(entry.id) \(entry.revision.prefix(7)) \(entry.initiator.rawValue) \(Style.outcome(entry.outcome))"
                    + ReportOutput.rollouts(entry) + " \"\(entry.subject)\"")
        }

        step(11, "keelson status")
        let rows = try apps.map { app -> [String] in
            let status = try workspace.store.status(of: app)
            return [app, Style.sync(status.sync), Style.health(status.health), status.message]
        }
        print(Narration.table([["NAME", "SYNC", "HEALTH", "MESSAGE"]] + rows, indent: "   "))
        let elapsed = Narration.milliseconds(ContinuousClock.now - started)
        print("\nDone in \(elapsed). Look around: keelson --home \(state) status \(target.app)")
    }

    private func reconcile(_ app: String, _ workspace: Workspace, watching deployment: String? = nil) async throws {
        var options = Reconciler.Options()
        options.wait = .seconds(600)
        if let deployment {
            let printer = ProgressPrinter(
                keys: [ObjectKey(group: "apps", kind: "Deployment", namespace: "default", name: deployment)],
                terminal: false, indent: "     ")
            options.progress = { printer.show($0) }
        }
        do {
            print(indented(ReportOutput.lines(try await workspace.reconciler.reconcile(app, options: options))))
        } catch ReconcileError.renderFailed(_, let commit, let failure) {
            say("\(app): \(commit.prefix(7)) refused; nothing applied:")
            for error in failure.errors { say("  \(error)") }
            let status = try workspace.store.status(of: app)
            say("  \(Style.sync(status.sync)), \(Style.health(status.health)): \(status.message)")
        }
    }

    private func commit(_ writer: RepositoryWriter, _ file: String, _ text: String, _ message: String) throws {
        let id = try writer.commit([file: Array(text.utf8)], onBranch: "main", message: message, author: author)
        say("commit \(id.short) \"\(message)\"")
    }

    private func indented(_ lines: [String]) -> String {
        lines.map { "   " + $0 }.joined(separator: "\n")
    }

    private struct Target {
        let app: String
        let file: String
        let name: String
        let image: ImageReference
        let text: String
    }

    /// The first Deployment container image in the sample, to bump.
    private func firstDeployment(_ workspace: Workspace, _ url: String, _ apps: [String]) async throws -> Target {
        let loader = workspace.reconciler.loader
        let mirror = try await loader.mirrors.mirror(for: try RemoteURL(url))
        let head = try await mirror.resolve("main")
        for app in apps {
            for object in try await loader.render(mirror, commit: head, path: "apps/\(app)").manifests.objects {
                guard let written = object.deployment?.template.containers.first?.image else { continue }
                let image = try ImageReference(parsing: written)
                let file = object.source.file
                let text = String(
                    decoding: try await mirror.readFiles(under: file, at: head)[0].contents, as: UTF8.self)
                return Target(app: app, file: file, name: object.name, image: image, text: text)
            }
        }
        throw ValidationError("\(manifests) holds no Deployment to update")
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
