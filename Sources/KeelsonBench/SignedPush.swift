import Crypto
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A GitHub push event for one commit to `main`, signed as GitHub signs it, posted to a daemon.
struct SignedPush {
    let repositoryURL: String
    let secret: String

    /// Posts the push of `commit`, which modified `path`; throws unless it is answered 202.
    func post(commit: String, path: String, to address: String) async throws {
        let body = try JSONSerialization.data(withJSONObject: [
            "ref": "refs/heads/main", "after": commit,
            "repository": ["clone_url": repositoryURL],
            "commits": [["id": commit, "added": [], "modified": [path], "removed": []]],
        ])
        var request = URLRequest(url: URL(string: "http://\(address)/api/webhook")!)
        request.httpMethod = "POST"
        request.httpBody = body
        let signature = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        request.setValue(
            "sha256=" + signature.map { String(format: "%02x", $0) }.joined(), forHTTPHeaderField: "X-Hub-Signature-256"
        )
        request.setValue("push", forHTTPHeaderField: "X-GitHub-Event")
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 202 else {
            throw BenchError("the webhook was answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
    }
}
