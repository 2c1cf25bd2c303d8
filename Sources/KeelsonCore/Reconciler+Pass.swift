import Foundation
import KeelsonGit
import KeelsonManifests

extension Reconciler {
    /// What one pass over many applications reads once and shares: the records, one fetch per
    /// repository and revision, one read of live state per target. Used only inside the actor.
    final class PassMemo {
        var applications: [String: Application] = [:]
        var statuses: [String: ApplicationStatus] = [:]
        var fetches: [String: (mirror: GitMirror, result: FetchResult, duration: Duration)] = [:]
        var live: [String: [LiveObject]] = [:]
    }

    /// One pass over `names`, as `keelson reconcile` and the benchmarks run it: each repository
    /// is asked once where its branch points, live state is read once, and applications whose
    /// branch, render and live state are what their status already says are settled without
    /// rendering, locking or writing; the others get a full reconcile each, in order.
    public func reconcileAll(_ names: [String], options: Options = Options())
        async -> [(name: String, result: Result<ReconcileReport, any Error>)]
    {
        let memo = PassMemo()
        do {
            let wanted = Set(names)
            for application in try store.applications() where wanted.contains(application.name) {
                memo.applications[application.name] = application
            }
            memo.statuses = try store.statuses()
            var byDestination: [Application.Destination: [String]] = [:]
            for application in memo.applications.values {
                byDestination[application.destination, default: []].append(application.name)
            }
            for (destination, applications) in byDestination {
                let objects = try await driverFor(destination).liveObjects(of: applications)
                for application in applications { memo.live[application] = objects[application] ?? [] }
            }
        } catch {
            return names.map { ($0, .failure(error)) }
        }
        var results: [(name: String, result: Result<ReconcileReport, any Error>)] = []
        for name in names {
            do {
                results.append((name, .success(try await reconcile(name, options: options, memo: memo))))
            } catch {
                results.append((name, .failure(error)))
            }
        }
        return results
    }

    /// The fetch of `application`'s tracked revision, once per pass for each repository and revision.
    func fetch(_ application: Application, memo: PassMemo?) async throws
        -> (mirror: GitMirror, result: FetchResult, duration: Duration)
    {
        // Keyed by the repository as written: parsing it for every application cost more than the
        // rare second fetch of one repository spelled two ways.
        let key = "\(application.repository)@\(application.revision)"
        if let fetched = memo?.fetches[key] { return fetched }
        let mirror = try await loader.mirrors.mirror(for: try RemoteURL(application.repository))
        let started = ContinuousClock.now
        let result = try await mirror.fetch(application.revision, options: network)
        let fetched = (mirror, result, ContinuousClock.now - started)
        memo?.fetches[key] = fetched
        return fetched
    }

    /// A report when a scheduled pass would change nothing and write nothing: the branch has not
    /// moved, the last render is of the applied commit, no rollout is being followed, and live
    /// state gives exactly the recorded per-object status. Nil when a full pass is needed.
    func upToDate(_ name: String, options: Options, memo: PassMemo?) async throws -> ReconcileReport? {
        guard options.initiator == .auto, !options.dryRun, options.revision == nil, options.wait == nil else {
            return nil
        }
        let application = try memo?.applications[name] ?? store.application(name)
        let status = try memo.map { $0.statuses[name] ?? ApplicationStatus() } ?? store.status(of: name)
        guard !status.suspended, status.currentOutcome != .running, status.sync != .unknown,
            let applied = status.appliedCommit, let cached = rendered[name], cached.path == application.path,
            cached.commit.id.hex == applied
        else { return nil }
        guard let fetched = try? await fetch(application, memo: memo), fetched.result.commit.hex == status.branchCommit
        else { return nil }
        let driver = try driverFor(application.destination)
        let live: [LiveObject]
        if let memoized = memo?.live[name] {
            live = memoized
        } else {
            live = try await driver.liveObjects(of: name)
        }
        let comparison = LiveComparison(
            desired: cached.manifests.objects, live: live, namespace: application.destination.namespace)
        let plan = SyncPlan(
            comparison, heal: application.syncPolicy.selfHeal, prune: application.syncPolicy.prune, allowEmpty: false)
        let resources = comparison.entries.map(Self.resourceStatus)
        let health = HealthStatus.worst(resources.map { $0.health })
        guard plan.isEmpty, resources == status.resources, health == status.health
        else { return nil }
        var pass = ReconcilePass(status: status)
        pass.recording = false
        pass.fetch = (fetched.result, fetched.duration)
        pass.desired = cached
        pass.comparison = comparison
        pass.plan = plan
        pass.notes.append("up to date: nothing rendered, nothing written")
        return pass.report(name)
    }
}
