/// A container image reference such as `registry.example.com:5000/team/app:1.4.2@sha256:…`.
///
/// Follows the grammar of `distribution/reference`: an optional registry host with an optional port,
/// a repository path of lowercase components, an optional tag `[\w][\w.-]{0,127}` and an optional digest.
/// The first path component is the registry when it contains `.` or `:`, is `localhost`, or has uppercase
/// letters (Docker's rule), so `team/app` has no registry and `ghcr.io/team/app` does.
/// No normalisation is applied: ``description`` reproduces the parsed text exactly.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// Why a string is not an image reference.
    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The reference is empty.
        case empty
        /// The registry part is not `host[:port]`.
        case invalidRegistry(String)
        /// A repository path component has uppercase letters.
        case uppercaseRepository(String)
        /// A repository path component is empty or uses characters outside `[a-z0-9]` and separators `.`, `_`, `__`, `-`.
        case invalidPathComponent(String)
        /// The tag does not match `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
        case invalidTag(String)
        /// The digest is not `sha256:` followed by 64 lowercase hex digits (or `sha512:` and 128).
        case invalidDigest(String)
        /// Registry and path together exceed 255 characters.
        case nameTooLong(Int)

        public var description: String {
            switch self {
            case .empty:
                "the image reference is empty"
            case .invalidRegistry(let registry):
                "registry \"\(registry)\" is not a host name or IP address with an optional :port"
            case .uppercaseRepository(let component):
                "repository path component \"\(component)\" must be lowercase"
            case .invalidPathComponent(let component):
                "repository path component \"\(component)\" must be lowercase letters and digits separated by '.', '_', '__' or '-'"
            case .invalidTag(let tag):
                "tag \"\(tag)\" must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
            case .invalidDigest(let digest):
                "digest \"\(digest)\" must be sha256: followed by 64 lowercase hex digits"
            case .nameTooLong(let length):
                "repository name is \(length) characters long, more than 255"
            }
        }
    }

    /// The registry host with optional port, such as `ghcr.io` or `localhost:5000`; `nil` means Docker Hub.
    public let registry: String?
    /// The repository path, such as `team/app` or `nginx`.
    public let path: String
    /// The tag, such as `1.4.2`.
    public let tag: String?
    /// The digest including its algorithm, such as `sha256:3b8f…`.
    public let digest: String?

    /// Parses a reference.
    ///
    /// - Parameter text: The reference as written in a manifest.
    /// - Throws: ``ParseError`` naming the first part that is malformed.
    public init(parsing text: String) throws(ParseError) {
        guard !text.isEmpty else { throw .empty }
        var remainder = Substring(text)
        if let at = remainder.firstIndex(of: "@") {
            let digest = String(remainder[remainder.index(after: at)...])
            guard Self.isValidDigest(digest) else { throw .invalidDigest(digest) }
            self.digest = digest
            remainder = remainder[..<at]
        } else {
            digest = nil
        }
        let lastSlash = remainder.lastIndex(of: "/") ?? remainder.startIndex
        if let colon = remainder[lastSlash...].lastIndex(of: ":") {
            let tag = String(remainder[remainder.index(after: colon)...])
            guard Self.isValidTag(tag) else { throw .invalidTag(tag) }
            self.tag = tag
            remainder = remainder[..<colon]
        } else {
            tag = nil
        }
        var registry: String? = nil
        if let slash = remainder.firstIndex(of: "/") {
            let first = remainder[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost"
                || first.contains(where: \.isUppercase)
            {
                guard Self.isValidRegistry(first) else { throw .invalidRegistry(String(first)) }
                registry = String(first)
                remainder = remainder[remainder.index(after: slash)...]
            }
        }
        for component in remainder.split(separator: "/", omittingEmptySubsequences: false) {
            if Self.isValidPathComponent(component) { continue }
            if component.contains(where: \.isUppercase), Self.isValidPathComponent(Substring(component.lowercased())) {
                throw .uppercaseRepository(String(component))
            }
            throw .invalidPathComponent(String(component))
        }
        let nameLength = (registry.map { $0.count + 1 } ?? 0) + remainder.count
        guard nameLength <= 255 else { throw .nameTooLong(nameLength) }
        self.registry = registry
        self.path = String(remainder)
    }

    /// The repository name including the registry, such as `ghcr.io/team/app`.
    public var name: String {
        guard let registry else { return path }
        return "\(registry)/\(path)"
    }

    /// The reference as text: `name[:tag][@digest]`.
    public var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The same repository at another tag, without a digest (a digest would keep pinning the old image).
    ///
    /// - Parameter tag: The new tag.
    /// - Returns: `name:tag`.
    /// - Throws: ``ParseError/invalidTag(_:)`` when `tag` is not a valid tag.
    public func withTag(_ tag: String) throws(ParseError) -> ImageReference {
        guard Self.isValidTag(tag) else { throw .invalidTag(tag) }
        return ImageReference(registry: registry, path: path, tag: tag, digest: nil)
    }

    /// The same repository and tag pinned to a digest.
    ///
    /// - Parameter digest: `sha256:` and 64 lowercase hex digits.
    /// - Returns: `name[:tag]@digest`.
    /// - Throws: ``ParseError/invalidDigest(_:)`` when `digest` is malformed.
    public func withDigest(_ digest: String) throws(ParseError) -> ImageReference {
        guard Self.isValidDigest(digest) else { throw .invalidDigest(digest) }
        return ImageReference(registry: registry, path: path, tag: tag, digest: digest)
    }

    private init(registry: String?, path: String, tag: String?, digest: String?) {
        self.registry = registry
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    package static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, isWordByte(first), bytes.count <= 128 else { return false }
        return bytes.dropFirst().allSatisfy { isWordByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    package static func isValidDigest(_ digest: String) -> Bool {
        let parts = digest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let hex = parts[1].utf8
        let expectedLength: Int
        switch parts[0] {
        case "sha256": expectedLength = 64
        case "sha512": expectedLength = 128
        default: return false
        }
        return hex.count == expectedLength && hex.allSatisfy(isHexDigit)
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
    private static func isValidPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        var index = 0
        func alphanumericRun() -> Bool {
            let start = index
            while index < bytes.count, isLowerAlphanumeric(bytes[index]) { index += 1 }
            return index > start
        }
        guard alphanumericRun() else { return false }
        while index < bytes.count {
            let separatorStart = index
            switch bytes[index] {
            case UInt8(ascii: "."):
                index += 1
            case UInt8(ascii: "_"):
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "_") { index += 1 }
            case UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            default:
                return false
            }
            guard index > separatorStart, alphanumericRun() else { return false }
        }
        return true
    }

    /// `host[:port]` where host is dot-separated `[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?` labels or `[IPv6]`.
    private static func isValidRegistry(_ registry: Substring) -> Bool {
        var host = registry
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let address = host[host.index(after: host.startIndex)..<close]
            guard !address.isEmpty, address.contains(":"),
                address.utf8.allSatisfy({
                    isHexDigit($0) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) || $0 == UInt8(ascii: ":")
                        || $0 == UInt8(ascii: ".")
                })
            else { return false }
            host = host[host.index(after: close)...]
            return host.isEmpty || isValidPort(host)
        }
        if let colon = host.firstIndex(of: ":") {
            guard isValidPort(host[colon...]) else { return false }
            host = host[..<colon]
        }
        return !host.isEmpty
            && host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                let bytes = Array(label.utf8)
                guard let first = bytes.first, let last = bytes.last else { return false }
                return isAlphanumeric(first) && isAlphanumeric(last)
                    && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
            }
    }

    /// `:` followed by one or more digits.
    private static func isValidPort(_ text: Substring) -> Bool {
        let digits = text.dropFirst()
        return text.first == ":" && !digits.isEmpty
            && digits.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
