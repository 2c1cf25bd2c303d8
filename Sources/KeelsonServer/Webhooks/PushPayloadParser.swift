import Foundation
import KeelsonKubernetes

/// Reads the repository, ref, commit and changed files out of one provider's push payload.
struct PushPayloadParser {
    /// GitHub and GitLab list at most 20 commits per push; with that many, some may be missing.
    static let commitListLimit = 20
    /// GitHub lists at most 2048 files per push payload; a payload listing that many may list only part.
    static let fileListLimit = 2048

    private struct Malformed: Error {
        let reason: String
    }

    let provider: PushEvent.Provider

    /// - Parameter event: the provider's event header, nil for generic requests.
    func parse(event: String?, body: Data) -> PushWebhookResult {
        if let ignored = ignoredEvent(event) { return .ignored(ignored) }
        do throws(Malformed) {
            guard let payload = try? JSONValue(json: Array(body)) else {
                throw Malformed(reason: "the body is not JSON")
            }
            guard payload.objectValue != nil else { throw Malformed(reason: "expected a JSON object") }
            let push = try pushEvent(payload)
            if payload["deleted"]?.boolValue == true || Self.isZeroCommit(push.commit) {
                return .ignored("\(push.ref) was deleted")
            }
            guard PushEvent.branchOrTagName(push.ref) != nil else {
                return .ignored("\(push.ref) is neither a branch nor a tag")
            }
            return .push(push)
        } catch {
            return .badRequest("\(provider.rawValue) push payload: \(error.reason)")
        }
    }

    /// Why the event is not a push; nil for pushes.
    private func ignoredEvent(_ event: String?) -> String? {
        switch provider {
        case .generic: return nil
        case .gitlab:
            guard let event else { return nil }
            return ["Push Hook", "Tag Push Hook"].contains(event) ? nil : "gitlab event \"\(event)\" is not a push"
        case .github, .gitea, .gogs, .forgejo:
            guard let event, event != "push" else { return nil }
            return "\(provider.rawValue) event \"\(event)\" is not a push"
        }
    }

    private func pushEvent(_ payload: JSONValue) throws(Malformed) -> PushEvent {
        let ref = try string(payload, "ref", expected: "the pushed ref, such as refs/heads/main")
        let after = try string(payload, "after", expected: "the pushed commit's SHA")
        let urls: [String]
        let changed: Set<String>?
        switch provider {
        case .generic:
            urls = [try string(payload, "repository", expected: "the repository's URL")]
            if let value = payload["changed"] {
                changed = Set(try strings(value, expected: "\"changed\": a list of paths"))
            } else {
                changed = nil
            }
        case .gitlab:
            urls = try repositoryURLs(
                payload,
                [
                    ("project", "git_http_url"), ("project", "git_ssh_url"), ("project", "web_url"),
                    ("repository", "url"), ("repository", "git_http_url"), ("repository", "git_ssh_url"),
                ])
            changed = listsEveryCommit(payload) ? try changedPaths(payload["commits"]?.arrayValue ?? []) : nil
        case .github, .gitea, .gogs, .forgejo:
            urls = try repositoryURLs(
                payload,
                [
                    ("repository", "clone_url"), ("repository", "ssh_url"), ("repository", "html_url"),
                    ("repository", "git_url"),
                ])
            changed = listsEveryCommit(payload) ? try changedPaths(payload["commits"]?.arrayValue ?? []) : nil
        }
        return PushEvent(provider: provider, repositoryURLs: urls, ref: ref, commit: after, changedPaths: changed)
    }

    /// Whether the payload's commits are every commit between the old and the new tip. Not when the
    /// ref is new or was force-pushed (the list is then not the difference from what was there),
    /// nor when the forge says it left some out (`total_commits_count` on GitLab, `total_commits` on
    /// Gitea) or the list is at GitHub's limit, nor when it is empty.
    private func listsEveryCommit(_ payload: JSONValue) -> Bool {
        let listed = payload["commits"]?.arrayValue?.count ?? 0
        let total = payload["total_commits_count"]?.intValue ?? payload["total_commits"]?.intValue ?? listed
        return listed > 0 && listed == total && listed < Self.commitListLimit
            && payload["created"]?.boolValue != true && payload["forced"]?.boolValue != true
            && !Self.isZeroCommit(payload["before"]?.stringValue ?? "")
    }

    private func string(_ payload: JSONValue, _ key: String, expected: String) throws(Malformed) -> String {
        guard let value = payload[key]?.stringValue, !value.isEmpty else {
            throw Malformed(reason: "expected \"\(key)\": \(expected)")
        }
        return value
    }

    /// The URLs found at `(object, key)` members, in order; at least one is required.
    private func repositoryURLs(_ payload: JSONValue, _ members: [(String, String)]) throws(Malformed) -> [String] {
        var urls: [String] = []
        for (object, key) in members {
            if let url = payload[object]?[key]?.stringValue, !url.isEmpty, !urls.contains(url) { urls.append(url) }
        }
        guard !urls.isEmpty else {
            let names = members.map { "\($0.0).\($0.1)" }.joined(separator: ", ")
            throw Malformed(reason: "expected the repository's URL in one of \(names)")
        }
        return urls
    }

    /// Every path added, modified or removed by the commits; nil when they list so many that the
    /// forge may have left some out.
    private func changedPaths(_ commits: [JSONValue]) throws(Malformed) -> Set<String>? {
        var paths: Set<String> = []
        var listed = 0
        for (index, commit) in commits.enumerated() {
            for key in ["added", "modified", "removed"] {
                guard let value = commit[key] else { continue }
                let files = try strings(value, expected: "\"commits[\(index)].\(key)\": a list of paths")
                listed += files.count
                paths.formUnion(files)
            }
        }
        return listed < Self.fileListLimit ? paths : nil
    }

    private func strings(_ value: JSONValue, expected: String) throws(Malformed) -> [String] {
        let strings = value.arrayValue?.compactMap(\.stringValue)
        guard let strings, strings.count == value.arrayValue?.count else {
            throw Malformed(reason: "expected \(expected)")
        }
        return strings
    }

    /// The all-zeros SHA forges send for the missing side of a created or deleted ref.
    private static func isZeroCommit(_ sha: String) -> Bool {
        !sha.isEmpty && sha.allSatisfy { $0 == "0" }
    }
}
