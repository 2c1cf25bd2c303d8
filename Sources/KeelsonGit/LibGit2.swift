import CGit2

/// Process-wide libgit2 set-up: initialisation, version, and configuration isolation.
public enum LibGit2 {
    /// `git_libgit2_init` exactly once per process (a `static let` is `swift_once`-guarded).
    /// libgit2 is never shut down: a daemon keeps using it until exit.
    private static let initialised: Void = {
        git_libgit2_init()
        // Mirrors live in Keelson's state folder, which may be owned by a service account other
        // than the user running a CLI command; the ownership check protects work trees, not bare caches.
        _ = keelson_git_set_owner_validation(0)
        // Bounds on the pack files libgit2 keeps open and the memory it maps from them, across
        // every mirror (its defaults: no file limit, 8 GiB mapped); packs beyond them are closed
        // least recently used first and reopened when needed.
        _ = keelson_git_set_mwindow_file_limit(LibGit2.openPackLimit)
        _ = keelson_git_set_mwindow_mapped_limit(LibGit2.mappedPackBytes)
        // Commits and trees read stay cached with their raw data, 256 MiB over all handles by
        // default: a repack's walk of a 3,000-push mirror alone held 55 MB.
        _ = keelson_git_set_cache_max_size(LibGit2.objectCacheBytes)
    }()

    /// Pack files libgit2 keeps open at most, over all mirrors.
    public static let openPackLimit = 64
    /// Bytes of pack files libgit2 maps into memory at most (256 MiB).
    public static let mappedPackBytes = 256 << 20
    /// Bytes of parsed commits and trees libgit2 caches at most, over all handles (16 MiB).
    public static let objectCacheBytes = 16 << 20

    /// Initialises libgit2 if this process has not yet done so. Every entry point calls this.
    public static func ensureInitialised() {
        _ = initialised
    }

    /// The linked libgit2 version, e.g. `1.5.1`.
    public static var version: String {
        ensureInitialised()
        var major: Int32 = 0
        var minor: Int32 = 0
        var revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }

    /// Points libgit2's global, XDG and system configuration search paths at `folder`, so that a
    /// user's `~/.gitconfig` (for example `url.*.insteadOf`) cannot change what is fetched. Tests
    /// use it; the product keeps libgit2's defaults, so operators' git settings (proxies,
    /// `insteadOf` mirrors) apply to Keelson as they do to git.
    ///
    /// - Parameter folder: a folder holding the configuration files to use (may be empty).
    /// - Throws: `GitError` when libgit2 rejects the path.
    public static func isolateConfiguration(at folder: String) throws {
        ensureInitialised()
        for level in [
            GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_PROGRAMDATA,
        ] {
            try GitError.check(
                keelson_git_set_search_path(Int32(level.rawValue), folder), "set configuration search path")
        }
    }
}
