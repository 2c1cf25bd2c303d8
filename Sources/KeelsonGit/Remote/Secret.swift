/// A secret value (token, passphrase) that never prints: `description` is always `***`.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Read it only to hand it to libgit2.
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
}
