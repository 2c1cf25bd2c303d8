import CGit2

/// A failed git operation: what Keelson was doing, libgit2's code, class and message, and a
/// classification a caller can act on.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// What a caller can do about a failure.
    public enum Kind: String, Sendable {
        case repositoryNotFound
        case notARepository
        case authenticationFailed
        case hostKeyRejected
        case referenceNotFound
        case revisionNotFound
        case pathNotFound
        case ambiguousRevision
        case pushRejected
        case cancelled
        case timedOut
        case network
        case other
    }

    /// The operation Keelson attempted, e.g. `fetch refs/heads/main from https://host/org/repo`.
    public let operation: String
    /// libgit2's return code (`GIT_ENOTFOUND` is -3), or 0 for errors Keelson detects itself.
    public let code: Int32
    /// libgit2's error class (`GIT_ERROR_NET`, …), or 0 when libgit2 reported none.
    public let errorClass: Int32
    /// libgit2's message, or Keelson's own explanation.
    public let message: String
    public let kind: Kind

    public init(operation: String, kind: Kind, message: String, code: Int32 = 0, errorClass: Int32 = 0) {
        self.operation = operation
        self.kind = kind
        self.message = message
        self.code = code
        self.errorClass = errorClass
    }

    public var description: String {
        let lead: String
        switch kind {
        case .repositoryNotFound: lead = "repository not found"
        case .notARepository: lead = "not a git repository"
        case .authenticationFailed: lead = "authentication failed"
        case .hostKeyRejected: lead = "SSH host key rejected"
        case .referenceNotFound: lead = "branch or tag not found"
        case .revisionNotFound: lead = "revision not found"
        case .pathNotFound: lead = "path not found"
        case .ambiguousRevision: lead = "ambiguous revision"
        case .pushRejected: lead = "push rejected"
        case .cancelled: lead = "cancelled"
        case .timedOut: lead = "timed out"
        case .network: lead = "network error"
        case .other: lead = "git error"
        }
        return "\(lead): \(operation): \(message)"
    }

    /// Builds an error from libgit2's thread-local last error. Call it right after the failing
    /// call, with no `await` in between, or the message may belong to another operation.
    static func last(_ code: Int32, _ operation: String, kind: Kind? = nil) -> GitError {
        var errorClass: Int32 = 0
        var message = "libgit2 returned \(code)"
        if let last = git_error_last(), let text = last.pointee.message {
            errorClass = last.pointee.klass
            message = String(cString: text)
        }
        return GitError(
            operation: operation,
            kind: kind ?? classify(code: code, errorClass: errorClass, message: message),
            message: message,
            code: code,
            errorClass: errorClass
        )
    }

    /// Throws `GitError.last` when `code` is negative.
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws {
        if code < 0 { throw last(code, operation()) }
    }

    private static func classify(code: Int32, errorClass: Int32, message: String) -> Kind {
        let lowered = message.lowercased()
        let transport = [GIT_ERROR_NET, GIT_ERROR_HTTP, GIT_ERROR_SSH, GIT_ERROR_SSL].map { Int32($0.rawValue) }
            .contains(errorClass)
        // Status codes are read from transport errors only: object ids in other messages contain digits too.
        if code == GIT_EAUTH.rawValue
            || (transport && (lowered.contains("authentication") || lowered.contains("status code: 401")))
        {
            return .authenticationFailed
        }
        if code == GIT_ECERTIFICATE.rawValue { return .hostKeyRejected }
        if code == GIT_EAMBIGUOUS.rawValue { return .ambiguousRevision }
        if code == GIT_EUSER.rawValue { return .cancelled }
        if lowered.contains("could not find repository") || lowered.contains("not a git repository") {
            return .notARepository
        }
        if transport
            && (lowered.contains("repository not found") || lowered.contains("status code: 404")
                || lowered.contains("does not appear to be a git repository"))
        {
            return .repositoryNotFound
        }
        if code == GIT_ENOTFOUND.rawValue { return .revisionNotFound }
        return transport ? .network : .other
    }
}
