import struct Foundation.Date

/// A file in a commit's tree.
public struct TreeEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case file, executable, symlink
    }

    /// Path from the repository root, `/`-separated.
    public let path: String
    public let blobID: ObjectID
    public let kind: Kind
}

/// A file and its bytes, read at a commit.
public struct GitFile: Sendable {
    public let entry: TreeEntry
    public let contents: [UInt8]

    public var path: String { entry.path }
    public var blobID: ObjectID { entry.blobID }
}

/// One path that differs between two commits.
public struct ChangedPath: Sendable, Hashable, CustomStringConvertible {
    public enum Change: Sendable, Hashable {
        case added, modified, deleted
        case renamed(from: String)
    }

    /// The path after the change (before it, for deletions).
    public let path: String
    public let change: Change

    public init(path: String, change: Change) {
        self.path = path
        self.change = change
    }

    public var description: String {
        switch change {
        case .added: "A \(path)"
        case .modified: "M \(path)"
        case .deleted: "D \(path)"
        case .renamed(let from): "R \(from) -> \(path)"
        }
    }
}

/// A commit's metadata.
public struct Commit: Sendable, Hashable {
    public struct Signature: Sendable, Hashable {
        public let name: String
        public let email: String
        public let date: Date

        public init(name: String, email: String, date: Date) {
            self.name = name
            self.email = email
            self.date = date
        }
    }

    public let id: ObjectID
    public let parents: [ObjectID]
    /// The first line of the message.
    public let subject: String
    public let message: String
    public let author: Signature
    public let committer: Signature
}
