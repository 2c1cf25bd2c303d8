import Foundation
import KeelsonServer
import Testing

struct PushWebhookTests {
    let receiver = PushWebhookReceiver(secret: PushPayloads.secret)

    func receive(_ body: String, _ headers: [String: String], secret: String? = PushPayloads.secret)
        -> PushWebhookResult
    {
        PushWebhookReceiver(secret: secret).receive(headers: headers, body: Data(body.utf8))
    }

    // MARK: GitHub

    @Test func githubPushIsParsed() {
        let body = PushPayloads.github
        let result = receive(body, PushPayloads.githubHeaders(event: "push", body: body))
        #expect(
            result
                == .push(
                    PushEvent(
                        provider: .github,
                        repositoryURLs: [
                            "https://github.com/Acme/deploy.git", "git@github.com:Acme/deploy.git",
                            "https://github.com/Acme/deploy", "git://github.com/Acme/deploy.git",
                        ],
                        ref: "refs/heads/main", commit: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
                        changedPaths: [
                            "apps/web/hpa.yaml", "apps/web/deployment.yaml", "apps/worker/deployment.yaml", "README.md",
                        ])))
    }

    @Test func headerNamesMatchInAnyCase() {
        let body = PushPayloads.github
        let headers = ["x-github-event": "push", "x-hub-signature-256": PushPayloads.hubSignature(body)]
        guard case .push(let push) = receive(body, headers) else {
            Issue.record("expected a push")
            return
        }
        #expect(push.provider == .github)
        #expect(push.revision == "main")
    }

    @Test func aTagPushIsAPushOfTheTagNameWithFilesUnknown() {
        let body = PushPayloads.githubTag
        guard case .push(let push) = receive(body, PushPayloads.githubHeaders(event: "push", body: body)) else {
            Issue.record("expected a push")
            return
        }
        #expect(push.ref == "refs/tags/v1.4.2")
        #expect(push.revision == "v1.4.2")
        #expect(push.changedPaths == nil)
    }

    @Test func aWrongSignatureIsUnauthorized() {
        let body = PushPayloads.github
        var headers = PushPayloads.githubHeaders(event: "push", body: body)
        headers["X-Hub-Signature-256"] = PushPayloads.hubSignature(body, secret: "another-secret")
        #expect(
            receive(body, headers)
                == .unauthorized("X-Hub-Signature-256 does not match the body signed with the configured secret"))
    }

    @Test func aSignatureOfAnotherBodyIsUnauthorized() {
        let body = PushPayloads.github
        let headers = PushPayloads.githubHeaders(event: "push", body: body)
        let tampered = body.replacingOccurrences(of: "apps/web/hpa.yaml", with: "apps/db/hpa.yaml")
        guard case .unauthorized = receive(tampered, headers) else {
            Issue.record("a tampered body was accepted")
            return
        }
    }

    @Test(arguments: ["", "sha256=", "sha1=7d38cdd689735b008b3c702edd92eea23791c5f6", "sha256=zz", "sha256=abc"])
    func malformedSignaturesAreUnauthorized(signature: String) {
        let body = PushPayloads.github
        var headers = PushPayloads.githubHeaders(event: "push", body: body)
        headers["X-Hub-Signature-256"] = signature
        guard case .unauthorized = receive(body, headers) else {
            Issue.record("signature \"\(signature)\" was accepted")
            return
        }
    }

    @Test func aMissingSignatureIsUnauthorized() {
        let body = PushPayloads.github
        var headers = PushPayloads.githubHeaders(event: "push", body: body)
        headers["X-Hub-Signature-256"] = nil
        #expect(
            receive(body, headers) == .unauthorized("missing X-Hub-Signature-256; a webhook secret is configured"))
    }

    @Test func signaturesAreCheckedBeforeTheEventIsLookedAt() {
        let headers = ["X-GitHub-Event": "ping"]
        guard case .unauthorized = receive(PushPayloads.githubPing, headers) else {
            Issue.record("an unsigned ping was answered")
            return
        }
    }

    @Test func withoutASecretUnsignedRequestsAreAccepted() {
        let result = receive(PushPayloads.github, ["X-GitHub-Event": "push"], secret: nil)
        guard case .push(let push) = result else {
            Issue.record("expected a push, got \(result)")
            return
        }
        #expect(push.commit == "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c")
    }

    @Test func pingAndOtherEventsAreIgnored() {
        let ping = PushPayloads.githubPing
        #expect(
            receive(ping, PushPayloads.githubHeaders(event: "ping", body: ping))
                == .ignored("github event \"ping\" is not a push"))
        let issue = #"{"action": "opened", "issue": {"number": 1}}"#
        #expect(
            receive(issue, PushPayloads.githubHeaders(event: "issues", body: issue))
                == .ignored("github event \"issues\" is not a push"))
    }

    @Test func aDeletedBranchIsIgnored() {
        let body = PushPayloads.githubDeletedBranch
        #expect(
            receive(body, PushPayloads.githubHeaders(event: "push", body: body))
                == .ignored("refs/heads/feature/old was deleted"))
    }

    @Test(arguments: [(19, 19 as Int?), (20, nil), (21, nil)])
    func twentyCommitsOrMoreLeaveTheFilesUnknown(commits: Int, files: Int?) {
        let body = PushPayloads.githubPush(commits: commits)
        guard case .push(let push) = receive(body, PushPayloads.githubHeaders(event: "push", body: body)) else {
            Issue.record("expected a push")
            return
        }
        #expect(push.changedPaths?.count == files)
    }

    @Test func aForcedPushLeavesTheFilesUnknown() {
        let body = PushPayloads.githubPush(commits: 1, forced: true)
        guard case .push(let push) = receive(body, PushPayloads.githubHeaders(event: "push", body: body)) else {
            Issue.record("expected a push")
            return
        }
        #expect(push.changedPaths == nil)
    }

    @Test func aPayloadWithoutARepositoryIsABadRequestNamingTheFields() {
        let body = #"{"ref": "refs/heads/main", "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "commits": []}"#
        #expect(
            receive(body, PushPayloads.githubHeaders(event: "push", body: body))
                == .badRequest(
                    "github push payload: expected the repository's URL in one of repository.clone_url, "
                        + "repository.ssh_url, repository.html_url, repository.git_url"))
    }

    @Test func aCommitWhoseFilesAreNotStringsIsABadRequest() {
        let body = PushPayloads.githubPush(commits: 1).replacingOccurrences(
            of: #""modified": ["apps/web/file0.yaml"]"#, with: #""modified": [42]"#)
        #expect(
            receive(body, PushPayloads.githubHeaders(event: "push", body: body))
                == .badRequest("github push payload: expected \"commits[0].modified\": a list of paths"))
    }

    // MARK: GitLab

    @Test func gitlabPushIsParsed() {
        #expect(
            receive(PushPayloads.gitlab, PushPayloads.gitlabHeaders())
                == .push(
                    PushEvent(
                        provider: .gitlab,
                        repositoryURLs: [
                            "https://gitlab.example.com/platform/deploy.git",
                            "git@gitlab.example.com:platform/deploy.git",
                            "https://gitlab.example.com/platform/deploy",
                        ],
                        ref: "refs/heads/main", commit: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
                        changedPaths: ["apps/api/deployment.yaml", "docs/runbook.md"])))
    }

    @Test func aWrongGitlabTokenIsUnauthorized() {
        #expect(
            receive(PushPayloads.gitlab, PushPayloads.gitlabHeaders(token: "webhook-s3cre"))
                == .unauthorized("X-Gitlab-Token does not equal the configured secret"))
    }

    @Test func aMissingGitlabTokenIsUnauthorized() {
        #expect(
            receive(PushPayloads.gitlab, PushPayloads.gitlabHeaders(token: nil))
                == .unauthorized("missing X-Gitlab-Token; a webhook secret is configured"))
    }

    @Test func gitlabTagPushHookIsAPushOfTheTag() {
        let body = PushPayloads.gitlab.replacingOccurrences(of: "refs/heads/main", with: "refs/tags/v2.0.0")
        guard case .push(let push) = receive(body, PushPayloads.gitlabHeaders(event: "Tag Push Hook")) else {
            Issue.record("expected a push")
            return
        }
        #expect(push.revision == "v2.0.0")
    }

    @Test func gitlabCommitsLeftOutOfThePayloadLeaveTheFilesUnknown() {
        let body = PushPayloads.gitlab.replacingOccurrences(
            of: #""total_commits_count": 2"#, with: #""total_commits_count": 31"#)
        guard case .push(let push) = receive(body, PushPayloads.gitlabHeaders()) else {
            Issue.record("expected a push")
            return
        }
        #expect(push.changedPaths == nil)
    }

    @Test func gitlabMergeRequestHookIsIgnored() {
        let body = #"{"object_kind": "merge_request"}"#
        #expect(
            receive(body, PushPayloads.gitlabHeaders(event: "Merge Request Hook"))
                == .ignored("gitlab event \"Merge Request Hook\" is not a push"))
    }

    // MARK: Gitea, Gogs, Forgejo

    @Test func giteaPushIsParsedAlthoughGiteaAlsoSendsGithubHeaders() {
        let body = PushPayloads.gitea()
        #expect(
            receive(body, PushPayloads.giteaHeaders(body: body))
                == .push(
                    PushEvent(
                        provider: .gitea,
                        repositoryURLs: [
                            "https://gitea.example.com/ops/deploy.git",
                            "ssh://git@gitea.example.com:2222/ops/deploy.git",
                            "https://gitea.example.com/ops/deploy",
                        ],
                        ref: "refs/heads/main", commit: "bffeb74224043ba2feb48d137756c8a9331c449a",
                        changedPaths: ["apps/api/deployment.yaml"])))
    }

    @Test func giteaCommitsLeftOutOfThePayloadLeaveTheFilesUnknown() {
        let body = PushPayloads.gitea(totalCommits: 12)
        guard case .push(let push) = receive(body, PushPayloads.giteaHeaders(body: body)) else {
            Issue.record("expected a push")
            return
        }
        #expect(push.changedPaths == nil)
    }

    @Test func aWrongGiteaSignatureIsUnauthorized() {
        let body = PushPayloads.gitea()
        var headers = PushPayloads.giteaHeaders(body: body)
        headers["X-Gitea-Signature"] = PushPayloads.hexHMAC(body, secret: "another-secret")
        #expect(
            receive(body, headers)
                == .unauthorized("X-Gitea-Signature does not match the body signed with the configured secret"))
    }

    @Test func aMissingGiteaSignatureIsUnauthorizedEvenWithAValidGithubOne() {
        let body = PushPayloads.gitea()
        var headers = PushPayloads.giteaHeaders(body: body)
        headers["X-Gitea-Signature"] = nil
        headers["X-Gogs-Signature"] = nil
        #expect(
            receive(body, headers)
                == .unauthorized(
                    "missing X-Forgejo-Signature, X-Gitea-Signature or X-Gogs-Signature; a webhook secret is configured"
                ))
    }

    @Test(arguments: [(PushEvent.Provider.gogs, "Gogs"), (.forgejo, "Forgejo")])
    func gogsAndForgejoSignTheGiteaWay(provider: PushEvent.Provider, name: String) {
        let body = PushPayloads.gitea()
        let signed = ["X-\(name)-Event": "push", "X-\(name)-Signature": PushPayloads.hexHMAC(body)]
        guard case .push(let push) = receive(body, signed) else {
            Issue.record("expected a push")
            return
        }
        #expect(push.provider == provider)
        let forged = ["X-\(name)-Event": "push", "X-\(name)-Signature": PushPayloads.hexHMAC(body, secret: "x")]
        #expect(
            receive(body, forged)
                == .unauthorized("X-\(name)-Signature does not match the body signed with the configured secret"))
    }

    // MARK: Generic

    @Test func aGenericBodySignedTheGithubWayIsParsed() {
        let body = """
            {"repository": "git@github.com:acme/deploy.git", "ref": "refs/heads/main",
             "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "changed": ["apps/web/deployment.yaml"]}
            """
        #expect(
            receive(body, ["X-Hub-Signature-256": PushPayloads.hubSignature(body)])
                == .push(
                    PushEvent(
                        provider: .generic, repositoryURLs: ["git@github.com:acme/deploy.git"], ref: "refs/heads/main",
                        commit: "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", changedPaths: ["apps/web/deployment.yaml"]))
        )
    }

    @Test func aGenericBodyWithoutChangedLeavesTheFilesUnknown() {
        let body = #"{"repository": "https://git.example.com/a/b", "ref": "refs/tags/v3", "after": "abc123"}"#
        #expect(
            receive(body, ["X-Hub-Signature-256": PushPayloads.hubSignature(body)])
                == .push(
                    PushEvent(
                        provider: .generic, repositoryURLs: ["https://git.example.com/a/b"], ref: "refs/tags/v3",
                        commit: "abc123", changedPaths: nil)))
    }

    @Test func githubsDocumentedSignatureExampleIsAccepted() {
        // From GitHub's "Validating webhook deliveries": the body is not a push, so the signature passed.
        let signature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        let result = PushWebhookReceiver(secret: "It's a Secret to Everybody")
            .receive(headers: ["X-Hub-Signature-256": signature], body: Data("Hello, World!".utf8))
        #expect(result == .badRequest("generic push payload: the body is not JSON"))
    }

    @Test(arguments: [
        (#"{"repository": "https://git.example.com/a/b", "after": "abc123"}"#, "expected \"ref\""),
        (#"{"repository": "https://git.example.com/a/b", "ref": "refs/heads/main"}"#, "expected \"after\""),
        (#"{"ref": "refs/heads/main", "after": "abc123"}"#, "expected \"repository\""),
        (#"["refs/heads/main"]"#, "expected a JSON object"),
        (
            #"{"repository": "https://git.example.com/a/b", "ref": "main", "after": "abc", "changed": "a.yaml"}"#,
            "expected \"changed\": a list of paths"
        ),
    ])
    func malformedGenericBodiesAreBadRequestsSayingWhatWasExpected(body: String, expected: String) {
        let result = receive(body, ["X-Hub-Signature-256": PushPayloads.hubSignature(body)])
        guard case .badRequest(let reason) = result else {
            Issue.record("expected a bad request, got \(result)")
            return
        }
        #expect(reason.contains(expected), "\(reason)")
    }

    @Test func pushesToRefsOtherThanBranchesAndTagsAreIgnored() {
        let body = #"{"repository": "https://git.example.com/a/b", "ref": "refs/pull/7/head", "after": "abc123"}"#
        #expect(
            receive(body, ["X-Hub-Signature-256": PushPayloads.hubSignature(body)])
                == .ignored("refs/pull/7/head is neither a branch nor a tag"))
    }

    // MARK: Size

    @Test func bodiesOverTheLimitAreRefusedBeforeAnythingElse() {
        #expect(maximumWebhookBodySize == 5 * 1024 * 1024)
        let atLimit = Data(repeating: UInt8(ascii: " "), count: maximumWebhookBodySize)
        let overLimit = atLimit + Data("x".utf8)
        #expect(receiver.receive(headers: [:], body: overLimit) == .payloadTooLarge(limit: maximumWebhookBodySize))
        guard case .unauthorized = receiver.receive(headers: [:], body: atLimit) else {
            Issue.record("a body at the limit was refused for its size")
            return
        }
    }
}
