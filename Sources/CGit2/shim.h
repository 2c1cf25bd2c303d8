#include <git2.h>

/* git_libgit2_opts is variadic and so unreachable from Swift; these wrap the options Keelson sets. */
static inline int keelson_git_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}
static inline int keelson_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
