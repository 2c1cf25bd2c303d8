import CGit2
import Foundation

extension Repository {
    /// Resolves a revision in a mirror: a branch (as fetched into `refs/remotes/origin/`), a tag,
    /// a full ref name, or a full or abbreviated commit SHA.
    func resolve(_ revision: String) throws -> ObjectID {
        let operation = "resolve revision '\(revision)'"
        let name = revision.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw GitError(operation: operation, kind: .revisionNotFound, message: "the revision is empty")
        }
        var candidates: [String] = []
        if name.hasPrefix("refs/heads/") {
            candidates.append("refs/remotes/origin/" + name.dropFirst("refs/heads/".count))
        } else if name.hasPrefix("refs/") {
            candidates.append(name)
        } else {
            candidates += ["refs/remotes/origin/" + name, "refs/tags/" + name]
        }
        for candidate in candidates {
            if let id = try commitID(ofReference: candidate) { return id }
        }
        if Repository.isSHAPrefix(name) {
            var object: OpaquePointer?
            let code = git_revparse_single(&object, pointer, name.lowercased() + "^{commit}")
            if code == 0 {
                defer { git_object_free(object) }
                return ObjectID(git_object_id(object))
            }
            if code == GIT_EAMBIGUOUS.rawValue {
                throw GitError(
                    operation: operation, kind: .ambiguousRevision,
                    message: "the short SHA '\(name)' matches several objects; give more characters", code: code)
            }
        }
        throw GitError(
            operation: operation, kind: .revisionNotFound,
            message: "no branch, tag or commit named '\(name)' in \(displayName)", code: GIT_ENOTFOUND.rawValue)
    }

    static func isSHAPrefix(_ text: String) -> Bool {
        (4...40).contains(text.utf8.count) && text.utf8.allSatisfy(ObjectID.isHexDigit)
    }
}
