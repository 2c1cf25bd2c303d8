import Foundation

/// How kustomize's `images` entries rewrite image references (kustomize's `api/image` and `imagetag` filter).
enum ImageTag {
    /// The reference rewritten by `image`, or `nil` when it does not name that image.
    ///
    /// `name` matches from the start of the reference up to an optional tag and digest, so `nginx` matches
    /// `nginx`, `nginx:1.25` and `nginx@sha256:…` but not `my-nginx` or `nginx-ingress`. A new tag drops the
    /// digest, a new digest drops the tag, and both set both.
    static func rewrite(_ reference: String, with image: Kustomization.Image) -> String? {
        guard matches(reference, name: image.name) else { return nil }
        var (name, tag, digest) = split(reference)
        if let newName = image.newName, !newName.isEmpty { name = newName }
        switch (image.newTag.flatMap { $0.isEmpty ? nil : $0 }, image.digest.flatMap { $0.isEmpty ? nil : $0 }) {
        case (let newTag?, let newDigest?): (tag, digest) = (newTag, newDigest)
        case (let newTag?, nil): (tag, digest) = (newTag, "")
        case (nil, let newDigest?): (tag, digest) = ("", newDigest)
        case (nil, nil): break
        }
        return name + (tag.isEmpty ? "" : ":" + tag) + (digest.isEmpty ? "" : "@" + digest)
    }

    /// Whether `reference` is `name` followed only by a tag and/or a digest. Like kustomize, `name` is used as a
    /// regular expression.
    static func matches(_ reference: String, name: String) -> Bool {
        let pattern = "^" + name + "(@sha256)?(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$"
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
        return expression.firstMatch(in: reference, range: NSRange(reference.startIndex..., in: reference)) != nil
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
