import Crypto
import Foundation

/// Push payloads shaped like the ones each forge sends (trimmed of members Keelson does not read),
/// and the headers that come with them.
enum PushPayloads {
    static let secret = "webhook-s3cret"

    /// A GitHub push of two commits to main, as `X-GitHub-Event: push` delivers it.
    static let github = """
        {
          "ref": "refs/heads/main",
          "before": "9049f1265b7d61be4a8904a9a27120d2064dab3b",
          "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
          "repository": {
            "id": 186853002,
            "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
            "name": "deploy",
            "full_name": "Acme/deploy",
            "private": true,
            "owner": { "name": "Acme", "login": "Acme", "id": 21031067, "type": "Organization" },
            "html_url": "https://github.com/Acme/deploy",
            "url": "https://github.com/Acme/deploy",
            "git_url": "git://github.com/Acme/deploy.git",
            "ssh_url": "git@github.com:Acme/deploy.git",
            "clone_url": "https://github.com/Acme/deploy.git",
            "default_branch": "main",
            "master_branch": "main",
            "pushed_at": 1714564800,
            "created_at": 1557933565
          },
          "pusher": { "name": "octocat", "email": "octocat@github.com" },
          "sender": { "login": "octocat", "id": 583231, "type": "User" },
          "created": false,
          "deleted": false,
          "forced": false,
          "base_ref": null,
          "compare": "https://github.com/Acme/deploy/compare/9049f1265b7d...0d1a26e67d8f",
          "commits": [
            {
              "id": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
              "tree_id": "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
              "distinct": true,
              "message": "web: scale with an HPA",
              "timestamp": "2024-05-01T12:00:00+02:00",
              "url": "https://github.com/Acme/deploy/commit/6113728f27ae82c7b1a177c8d03f9e96e0adf246",
              "author": { "name": "Octo Cat", "email": "octocat@github.com", "username": "octocat" },
              "committer": { "name": "GitHub", "email": "noreply@github.com", "username": "web-flow" },
              "added": ["apps/web/hpa.yaml"],
              "removed": [],
              "modified": ["apps/web/deployment.yaml"]
            },
            {
              "id": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
              "tree_id": "a9f2e3b1c0d4e5f60718293a4b5c6d7e8f901234",
              "distinct": true,
              "message": "Remove the old worker",
              "timestamp": "2024-05-01T12:01:00+02:00",
              "url": "https://github.com/Acme/deploy/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
              "author": { "name": "Octo Cat", "email": "octocat@github.com", "username": "octocat" },
              "committer": { "name": "GitHub", "email": "noreply@github.com", "username": "web-flow" },
              "added": [],
              "removed": ["apps/worker/deployment.yaml"],
              "modified": ["README.md"]
            }
          ],
          "head_commit": {
            "id": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
            "tree_id": "a9f2e3b1c0d4e5f60718293a4b5c6d7e8f901234",
            "distinct": true,
            "message": "Remove the old worker",
            "timestamp": "2024-05-01T12:01:00+02:00",
            "url": "https://github.com/Acme/deploy/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
            "author": { "name": "Octo Cat", "email": "octocat@github.com", "username": "octocat" },
            "committer": { "name": "GitHub", "email": "noreply@github.com", "username": "web-flow" },
            "added": [],
            "removed": ["apps/worker/deployment.yaml"],
            "modified": ["README.md"]
          }
        }
        """

    /// GitHub's push of a new lightweight tag: no `before`, no commits listed.
    static let githubTag = """
        {
          "ref": "refs/tags/v1.4.2",
          "before": "0000000000000000000000000000000000000000",
          "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
          "repository": {
            "name": "deploy",
            "full_name": "Acme/deploy",
            "html_url": "https://github.com/Acme/deploy",
            "ssh_url": "git@github.com:Acme/deploy.git",
            "clone_url": "https://github.com/Acme/deploy.git"
          },
          "pusher": { "name": "octocat", "email": "octocat@github.com" },
          "created": true,
          "deleted": false,
          "forced": false,
          "base_ref": "refs/heads/main",
          "commits": [],
          "head_commit": null
        }
        """

    /// GitHub's delivery when a branch is deleted.
    static let githubDeletedBranch = """
        {
          "ref": "refs/heads/feature/old",
          "before": "9049f1265b7d61be4a8904a9a27120d2064dab3b",
          "after": "0000000000000000000000000000000000000000",
          "repository": { "clone_url": "https://github.com/Acme/deploy.git" },
          "created": false,
          "deleted": true,
          "forced": false,
          "commits": [],
          "head_commit": null
        }
        """

    /// What GitHub sends when a webhook is created.
    static let githubPing = """
        {
          "zen": "Keep it logically awesome.",
          "hook_id": 477345181,
          "hook": { "type": "Repository", "id": 477345181, "events": ["push"], "active": true },
          "repository": { "clone_url": "https://github.com/Acme/deploy.git" },
          "sender": { "login": "octocat", "id": 583231 }
        }
        """

    /// A GitHub push listing `count` commits, each modifying one file of its own.
    static func githubPush(commits count: Int, forced: Bool = false) -> String {
        let commits = (0..<count).map { index in
            """
            { "id": "\(sha(index + 1))", "distinct": true, "message": "change \(index)",
              "added": [], "removed": [], "modified": ["apps/web/file\(index).yaml"] }
            """
        }
        return """
            {
              "ref": "refs/heads/main",
              "before": "9049f1265b7d61be4a8904a9a27120d2064dab3b",
              "after": "\(sha(count))",
              "repository": { "clone_url": "https://github.com/Acme/deploy.git" },
              "created": false, "deleted": false, "forced": \(forced),
              "commits": [\(commits.joined(separator: ",\n"))]
            }
            """
    }

    /// A 40-digit SHA made of `number`.
    static func sha(_ number: Int) -> String {
        let digits = String(number, radix: 16)
        return String(repeating: "0", count: 40 - digits.count) + digits
    }

    /// A GitLab Push Hook of two commits to main.
    static let gitlab = """
        {
          "object_kind": "push",
          "event_name": "push",
          "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
          "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "ref": "refs/heads/main",
          "ref_protected": true,
          "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
          "message": null,
          "user_id": 4,
          "user_name": "John Smith",
          "user_username": "jsmith",
          "user_email": "",
          "user_avatar": "https://s.gravatar.com/avatar/d4c74594d841139328695756648b6bd6?s=80",
          "project_id": 15,
          "project": {
            "id": 15,
            "name": "deploy",
            "description": "Manifests",
            "web_url": "https://gitlab.example.com/platform/deploy",
            "avatar_url": null,
            "git_ssh_url": "git@gitlab.example.com:platform/deploy.git",
            "git_http_url": "https://gitlab.example.com/platform/deploy.git",
            "namespace": "platform",
            "visibility_level": 0,
            "path_with_namespace": "platform/deploy",
            "default_branch": "main",
            "ci_config_path": null,
            "homepage": "https://gitlab.example.com/platform/deploy",
            "url": "git@gitlab.example.com:platform/deploy.git",
            "ssh_url": "git@gitlab.example.com:platform/deploy.git",
            "http_url": "https://gitlab.example.com/platform/deploy.git"
          },
          "commits": [
            {
              "id": "b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
              "message": "api: raise memory limit\\n\\nSee the incident review.",
              "title": "api: raise memory limit",
              "timestamp": "2024-05-01T14:27:31+02:00",
              "url": "https://gitlab.example.com/platform/deploy/-/commit/b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327",
              "author": { "name": "Jordi Mallach", "email": "jordi@example.com" },
              "added": [],
              "modified": ["apps/api/deployment.yaml"],
              "removed": []
            },
            {
              "id": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
              "message": "docs: runbook",
              "title": "docs: runbook",
              "timestamp": "2024-05-01T14:57:31+02:00",
              "url": "https://gitlab.example.com/platform/deploy/-/commit/da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
              "author": { "name": "GitLab dev user", "email": "gitlabdev@example.com" },
              "added": ["docs/runbook.md"],
              "modified": [],
              "removed": []
            }
          ],
          "total_commits_count": 2,
          "push_options": {},
          "repository": {
            "name": "deploy",
            "url": "git@gitlab.example.com:platform/deploy.git",
            "description": "Manifests",
            "homepage": "https://gitlab.example.com/platform/deploy",
            "git_http_url": "https://gitlab.example.com/platform/deploy.git",
            "git_ssh_url": "git@gitlab.example.com:platform/deploy.git",
            "visibility_level": 0
          }
        }
        """

    /// A Gitea push of one commit, with more commits in the push than it lists when `total` says so.
    static func gitea(totalCommits total: Int = 1) -> String {
        """
        {
          "ref": "refs/heads/main",
          "before": "28e1879d029cb852e4844d9c718537df08844e03",
          "after": "bffeb74224043ba2feb48d137756c8a9331c449a",
          "compare_url": "https://gitea.example.com/ops/deploy/compare/28e1879d029cb852e4844d9c718537df08844e03...bffeb74224043ba2feb48d137756c8a9331c449a",
          "commits": [
            {
              "id": "bffeb74224043ba2feb48d137756c8a9331c449a",
              "message": "api: two replicas\\n",
              "url": "https://gitea.example.com/ops/deploy/commit/bffeb74224043ba2feb48d137756c8a9331c449a",
              "author": { "name": "Ops Bot", "email": "bot@example.com", "username": "bot" },
              "committer": { "name": "Ops Bot", "email": "bot@example.com", "username": "bot" },
              "verification": null,
              "timestamp": "2024-05-01T12:00:00+02:00",
              "added": [],
              "removed": [],
              "modified": ["apps/api/deployment.yaml"]
            }
          ],
          "total_commits": \(total),
          "head_commit": {
            "id": "bffeb74224043ba2feb48d137756c8a9331c449a",
            "message": "api: two replicas\\n",
            "added": [],
            "removed": [],
            "modified": ["apps/api/deployment.yaml"]
          },
          "repository": {
            "id": 1,
            "owner": { "id": 1, "login": "ops", "full_name": "", "email": "" },
            "name": "deploy",
            "full_name": "ops/deploy",
            "private": true,
            "fork": false,
            "html_url": "https://gitea.example.com/ops/deploy",
            "ssh_url": "ssh://git@gitea.example.com:2222/ops/deploy.git",
            "clone_url": "https://gitea.example.com/ops/deploy.git",
            "default_branch": "main"
          },
          "pusher": { "id": 1, "login": "bot", "email": "bot@example.com" },
          "sender": { "id": 1, "login": "bot", "email": "bot@example.com" }
        }
        """
    }

    /// Lowercase hex HMAC-SHA256 of `body`, as Gitea, Gogs and Forgejo send it.
    static func hexHMAC(_ body: String, secret: String = secret) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }

    /// `X-Hub-Signature-256`'s value, as GitHub sends it.
    static func hubSignature(_ body: String, secret: String = secret) -> String {
        "sha256=" + hexHMAC(body, secret: secret)
    }

    static func githubHeaders(event: String, body: String) -> [String: String] {
        [
            "Content-Type": "application/json",
            "User-Agent": "GitHub-Hookshot/a3b4c5d",
            "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
            "X-GitHub-Event": event,
            "X-GitHub-Hook-ID": "477345181",
            "X-Hub-Signature": "sha1=7d38cdd689735b008b3c702edd92eea23791c5f6",
            "X-Hub-Signature-256": hubSignature(body),
        ]
    }

    /// Every header Gitea sends: its own, and Gogs' and GitHub's for compatibility.
    static func giteaHeaders(body: String) -> [String: String] {
        [
            "Content-Type": "application/json",
            "X-GitHub-Delivery": "f6266f16-1bf3-46a5-9ea4-602e06ead473",
            "X-GitHub-Event": "push",
            "X-GitHub-Event-Type": "push",
            "X-Gitea-Delivery": "f6266f16-1bf3-46a5-9ea4-602e06ead473",
            "X-Gitea-Event": "push",
            "X-Gitea-Event-Type": "push",
            "X-Gitea-Signature": hexHMAC(body),
            "X-Gogs-Delivery": "f6266f16-1bf3-46a5-9ea4-602e06ead473",
            "X-Gogs-Event": "push",
            "X-Gogs-Event-Type": "push",
            "X-Gogs-Signature": hexHMAC(body),
            "X-Hub-Signature-256": hubSignature(body),
        ]
    }

    static func gitlabHeaders(event: String = "Push Hook", token: String? = secret) -> [String: String] {
        var headers = [
            "Content-Type": "application/json",
            "User-Agent": "GitLab/16.11.0",
            "X-Gitlab-Event": event,
            "X-Gitlab-Event-UUID": "13792a34-cac6-4fda-95a8-c58e00a3954e",
            "X-Gitlab-Instance": "https://gitlab.example.com",
            "X-Gitlab-Webhook-UUID": "3c5c0404-c866-44dc-9ed1-2e3dc2f1a0b2",
        ]
        headers["X-Gitlab-Token"] = token
        return headers
    }
}
