import Foundation

/// The largest request body the webhook and alert receivers read: 5 MiB.
///
/// A push payload lists at most 20 commits and is usually a few kilobytes; GitHub's own cap of
/// 25 MB is far more than a receiver that only needs the repository, ref and changed files should
/// buffer. A push over the limit is still deployed by the next scheduled reconcile. The HTTP layer
/// enforces this while collecting the body; ``PushWebhookReceiver`` checks it again.
public let maximumWebhookBodySize = 5 * 1024 * 1024

/// What a push webhook asks for, or why it is refused.
public enum PushWebhookResult: Sendable, Hashable {
    /// A push to a branch or tag: reconcile the applications that track it.
    case push(PushEvent)
    /// A valid request that asks for nothing: a ping, another event, a deleted branch.
    case ignored(String)
    /// A secret is configured and the request's signature or token is missing or wrong.
    case unauthorized(String)
    /// The body is not the payload its headers announce.
    case badRequest(String)
    /// The body is larger than ``maximumWebhookBodySize``.
    case payloadTooLarge(limit: Int)
}

/// Turns a push webhook request (`POST /api/webhook`) from GitHub, GitLab, Gitea, Gogs, Forgejo or
/// a generic sender into a ``PushEvent``, after checking its signature.
///
/// The provider is told by its event header (`X-GitHub-Event`, `X-Gitlab-Event`, `X-Gitea-Event`,
/// `X-Gogs-Event`, `X-Forgejo-Event`); a request with none is a generic one:
/// `{"repository": URL, "ref": "refs/heads/main", "after": SHA, "changed": [paths]}`, `changed` optional,
/// signed as GitHub signs (`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`).
public struct PushWebhookReceiver: Sendable {
    private let secret: String?

    /// - Parameter secret: the secret shared with the forge. With nil, unsigned requests are
    ///   accepted: anyone who can reach the endpoint can trigger reconciles, so use that only locally.
    public init(secret: String?) {
        self.secret = secret
    }

    /// Checks and parses one request.
    ///
    /// - Parameters:
    ///   - headers: the request's headers; names are matched without regard to case.
    ///   - body: the raw body, exactly as received (signatures cover these bytes).
    public func receive(headers: [String: String], body: Data) -> PushWebhookResult {
        guard body.count <= maximumWebhookBodySize else { return .payloadTooLarge(limit: maximumWebhookBodySize) }
        let headers = WebhookHeaders(headers)
        let provider = PushEvent.Provider(headers)
        if let secret, let problem = provider.signatureProblem(headers: headers, body: body, secret: secret) {
            return .unauthorized(problem)
        }
        return PushPayloadParser(provider: provider).parse(event: provider.event(headers), body: body)
    }
}

extension PushEvent.Provider {
    /// The provider whose event header is present. Gitea also sends GitHub's and Gogs' headers, and
    /// Forgejo sends Gitea's, so the most specific is looked for first.
    init(_ headers: WebhookHeaders) {
        let byHeader: [(String, Self)] = [
            ("X-Forgejo-Event", .forgejo), ("X-Gitea-Event", .gitea), ("X-Gogs-Event", .gogs),
            ("X-Gitlab-Event", .gitlab), ("X-Gitlab-Token", .gitlab), ("X-GitHub-Event", .github),
        ]
        self = byHeader.first { headers[$0.0] != nil }?.1 ?? .generic
    }

    /// The event named in the provider's header, nil for generic requests (always pushes).
    func event(_ headers: WebhookHeaders) -> String? {
        switch self {
        case .github: headers["X-GitHub-Event"]
        case .gitlab: headers["X-Gitlab-Event"]
        case .gitea: headers["X-Gitea-Event"]
        case .gogs: headers["X-Gogs-Event"]
        case .forgejo: headers["X-Forgejo-Event"]
        case .generic: nil
        }
    }

    /// Why the request is not proven to come from the secret's holder; nil when it is.
    func signatureProblem(headers: WebhookHeaders, body: Data, secret: String) -> String? {
        switch self {
        case .github, .generic:
            let header = "X-Hub-Signature-256"
            guard let value = headers[header] else { return "missing \(header); a webhook secret is configured" }
            guard value.hasPrefix("sha256="),
                WebhookSignature.isValidHMAC(hex: String(value.dropFirst(7)), body: body, secret: secret)
            else { return "\(header) does not match the body signed with the configured secret" }
        case .gitlab:
            guard let token = headers["X-Gitlab-Token"] else {
                return "missing X-Gitlab-Token; a webhook secret is configured"
            }
            guard WebhookSignature.isValidToken(token, secret: secret) else {
                return "X-Gitlab-Token does not equal the configured secret"
            }
        case .gitea, .gogs, .forgejo:
            // All three carry the same hex HMAC-SHA256; which ones are sent depends on the version.
            let names = ["X-Forgejo-Signature", "X-Gitea-Signature", "X-Gogs-Signature"]
            guard let header = names.first(where: { headers[$0] != nil }), let value = headers[header] else {
                return
                    "missing X-Forgejo-Signature, X-Gitea-Signature or X-Gogs-Signature; a webhook secret is configured"
            }
            guard WebhookSignature.isValidHMAC(hex: value, body: body, secret: secret) else {
                return "\(header) does not match the body signed with the configured secret"
            }
        }
        return nil
    }
}
