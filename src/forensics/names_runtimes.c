/* names_runtimes.c - names from the container runtimes' own state files:
 * Docker, containerd (and CRI on it), CRI-O and podman (see names.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forensics/names_sources.h"
#include "sample/fsroot.h"
#include "util/xalloc.h"

#define NAMES_FILE_MAX (16u << 20)  /* bigger runtime JSON files are ignored */

static const char *const containerd_runtimes[2] = {
    "io.containerd.runtime.v2.task", "io.containerd.runtime.v1.linux",
};

/* Whole file below rootfd; NULL when missing, unreadable or too big. */
static char *read_all(int rootfd, const char *rel, size_t *len)
{
    int fd = fs_open_at(rootfd, rel, 0);
    if (fd < 0)
        return NULL;
    size_t cap = 16384, got = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (got == cap) {
            if (cap >= NAMES_FILE_MAX) {
                free(buf);
                close(fd);
                return NULL;
            }
            cap *= 2;
            buf = xreallocarray(buf, cap, 1);
        }
        ssize_t r = read(fd, buf + got, cap - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            close(fd);
            return NULL;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    *len = got;
    return buf;
}

typedef int (*JsonParser)(const char *json, size_t len, NameInfo *out);

static bool try_file(Names *n, const char *rel, JsonParser parse, NameInfo *out)
{
    size_t len;
    char *buf = read_all(n->rootfd, rel, &len);
    if (!buf)
        return false;
    bool ok = parse(buf, len, out) == 0;
    free(buf);
    return ok;
}

/* Directory rel below the root for readdir(), or NULL. */
DIR *names_open_dir(const Names *n, const char *rel)
{
    int dfd = fs_open_at(n->rootfd, rel, O_DIRECTORY);
    if (dfd < 0)
        return NULL;
    DIR *d = fdopendir(dfd);
    if (!d)
        close(dfd);
    return d;
}

/* Does directory a/b exist below the root? */
static bool dir_exists(const Names *n, const char *a, const char *b)
{
    char rel[4096];
    snprintf(rel, sizeof(rel), "%s/%s", a, b);
    return faccessat(n->rootfd, rel, F_OK, 0) == 0;
}

void names_probe_runtimes(Names *n)
{
    if (n->probe_gen == n->gen)
        return;
    n->probe_gen = n->gen;
    n->have_docker = dir_exists(n, n->docker_root, "containers");
    for (int r = 0; r < 2; r++)
        n->have_containerd[r] = dir_exists(n, n->containerd_state, containerd_runtimes[r]);
    n->have_crio[0] = dir_exists(n, n->crio_state, "overlay-containers");
    n->have_crio[1] = dir_exists(n, n->crio_run, "overlay-containers");
    free(n->podman_list);
    n->podman_list = NULL;
    if (n->have_crio[0]) {
        char rel[4096];
        snprintf(rel, sizeof(rel), "%s/overlay-containers/containers.json", n->crio_state);
        n->podman_list = read_all(n->rootfd, rel, &n->podman_len);
    }
}

bool names_from_docker(Names *n, const char *id, NameInfo *out)
{
    if (!n->have_docker)
        return false;
    char rel[4096];
    snprintf(rel, sizeof(rel), "%s/containers/%s/config.v2.json", n->docker_root, id);
    return try_file(n, rel, names_parse_docker_config, out);
}

/* containerd: the OCI bundle of task <id> in any namespace (k8s.io, moby,
 * default, ...), runtime v2 shims and the old v1 "linux" runtime. */
bool names_from_containerd(Names *n, const char *id, NameInfo *out)
{
    const char *const *runtimes = containerd_runtimes;
    char rel[4096];

    for (size_t r = 0; r < 2; r++) {
        if (!n->have_containerd[r])
            continue;
        snprintf(rel, sizeof(rel), "%s/%s", n->containerd_state, runtimes[r]);
        DIR *d = names_open_dir(n, rel);
        if (!d)
            continue;
        struct dirent *de;
        bool ok = false;
        while (!ok && (de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            snprintf(rel, sizeof(rel), "%s/%s/%s/%s/config.json", n->containerd_state,
                     runtimes[r], de->d_name, id);
            ok = try_file(n, rel, names_parse_oci_config, out);
        }
        closedir(d);
        if (ok)
            return true;
    }
    return false;
}

bool names_from_crio(Names *n, const char *id, NameInfo *out)
{
    const char *dirs[] = { n->crio_state, n->crio_run };
    char rel[4096];

    for (size_t i = 0; i < 2; i++) {
        if (!n->have_crio[i])
            continue;
        snprintf(rel, sizeof(rel), "%s/overlay-containers/%s/userdata/config.json", dirs[i], id);
        if (try_file(n, rel, names_parse_oci_config, out))
            return true;
    }
    return false;
}

bool names_from_podman(Names *n, const char *id, NameInfo *out)
{
    return n->podman_list &&
           names_parse_storage_list(n->podman_list, n->podman_len, id, out) == 0;
}
