/// Resolves the relative paths written in kustomization files, lexically, never above a repository's root.
struct RepositoryPath: Sendable {
    /// The outcome of resolving one written path.
    enum Resolution: Equatable {
        /// The repository path it names.
        case path(String)
        /// It starts with `/`.
        case absolute
        /// `..` leads above the repository's root.
        case outside
    }

    /// The prefix of every path (see ``RepositorySnapshot/root``), without a trailing `/`.
    let root: String

    init(root: String) {
        var trimmed = Substring(root)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        self.root = String(trimmed)
    }

    /// `written` (relative to `folder`, a repository path) as a repository path.
    func resolve(_ written: String, from folder: String) -> Resolution {
        guard !written.hasPrefix("/") else { return .absolute }
        var components = relativeComponents(of: folder)
        for component in written.split(separator: "/") where component != "." {
            if component == ".." {
                guard !components.isEmpty else { return .outside }
                components.removeLast()
            } else {
                components.append(component)
            }
        }
        return .path(join(components))
    }

    /// `path` normalised: no `.`, empty components or trailing `/` after the root.
    func normalise(_ path: String) -> String {
        join(relativeComponents(of: path))
    }

    /// The folder holding `path`.
    func folder(of path: String) -> String {
        join(relativeComponents(of: path).dropLast())
    }

    /// Whether `path` is `folder` or lies below it.
    static func isInside(_ path: String, folder: String) -> Bool {
        folder.isEmpty || path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    private func relativeComponents(of path: String) -> [Substring] {
        var relative = Substring(path)
        if relative == root {
            relative = ""
        } else if root == "/", relative.hasPrefix("/") {
            relative = relative.dropFirst()
        } else if !root.isEmpty, relative.hasPrefix(root + "/") {
            relative = relative.dropFirst(root.count + 1)
        }
        return relative.split(separator: "/").filter { $0 != "." }
    }

    private func join(_ components: some Collection<Substring>) -> String {
        let relative = components.joined(separator: "/")
        if root.isEmpty { return relative }
        if relative.isEmpty { return root }
        return root == "/" ? "/" + relative : root + "/" + relative
    }
}
