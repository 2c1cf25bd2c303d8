import Foundation

/// How one kustomize `images` entry rewrites image references (kustomize's `api/image` and `imagetag` filter).
struct ImageTag {
    let image: Kustomization.Image
    /// `name` followed only by a tag and/or a digest; like kustomize, `name` is used as a regular expression.
    private let pattern: NSRegularExpression?

    init(_ image: Kustomization.Image) {
        self.image = image
        pattern = try? NSRegularExpression(
            pattern: "^" + image.name + "(@sha256)?(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$")
    }

    /// The reference rewritten, or `nil` when it does not name the image.
    ///
    /// The name matches from the start of the reference up to an optional tag and digest, so `nginx` matches
    /// `nginx`, `nginx:1.25` and `nginx@sha256:…` but not `my-nginx` or `nginx-ingress`. A new tag drops the
    /// digest, a new digest drops the tag, and both set both.
    func rewrite(_ reference: String) -> String? {
        guard pattern?.firstMatch(in: reference, range: NSRange(reference.startIndex..., in: reference)) != nil
        else { return nil }
        var (name, tag, digest) = Self.split(reference)
        if let newName = image.newName, !newName.isEmpty { name = newName }
        switch (image.newTag.flatMap { $0.isEmpty ? nil : $0 }, image.digest.flatMap { $0.isEmpty ? nil : $0 }) {
        case (let newTag?, let newDigest?): (tag, digest) = (newTag, newDigest)
        case (let newTag?, nil): (tag, digest) = (newTag, "")
        case (nil, let newDigest?): (tag, digest) = ("", newDigest)
        case (nil, nil): break
        }
        return name + (tag.isEmpty ? "" : ":" + tag) + (digest.isEmpty ? "" : "@" + digest)
    }

    /// The name, tag and digest of a reference; a registry port (`host:5000/app`) is not taken for a tag.
    static func split(_ reference: String) -> (name: String, tag: String, digest: String) {
        let slash = reference.firstIndex(of: "/") ?? reference.startIndex
        let searched = reference[slash...]
        let at = searched.firstIndex(of: "@")
        let colon = searched.firstIndex(of: ":")
        switch (colon, at) {
        case (nil, nil):
            return (reference, "", "")
        case (let colon?, let at?) where colon < at:
            return (
                String(reference[..<colon]), String(reference[reference.index(after: colon)..<at]),
                String(reference[reference.index(after: at)...])
            )
        case (_, let at?):
            return (String(reference[..<at]), "", String(reference[reference.index(after: at)...]))
        case (let colon?, nil):
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]), "")
        }
    }
}
