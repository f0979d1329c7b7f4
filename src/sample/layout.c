/* layout.c - v1/v2/hybrid detection from mountinfo (SPEC 1.1). */
#include "config.h"

#include "sample/layout.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sample/fsroot.h"
#include "sample/parse.h"

static bool field_is(const char *f, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(f, word, len) == 0;
}

static int v2_preference(const char *mp)
{
    if (strcmp(mp, "/sys/fs/cgroup") == 0)
        return 3;
    if (strcmp(mp, "/sys/fs/cgroup/unified") == 0)
        return 2;
    return 1;
}

MtLayoutStatus layout_from_mountinfo(const char *text, size_t len,
                                     const char *v2_controllers, CgLayout *out)
{
    const char *p = text, *end = text + len;
    bool have_v1 = false, v1_root_is_slash = false, have_v2 = false, any_v1 = false;
    int v2_pref = 0;
    char mp[PATH_MAX], root[PATH_MAX];
    MountLine m;
    int r;

    memset(out, 0, sizeof(*out));
    while ((r = parse_mountinfo_line(&p, end, &m)) != -ENOENT) {
        if (r < 0)
            continue;
        bool is_v1 = field_is(m.fstype, m.fstype_len, "cgroup");
        bool is_v2 = field_is(m.fstype, m.fstype_len, "cgroup2");
        if (!is_v1 && !is_v2)
            continue;
        if (parse_unescape_octal(m.mountpoint, m.mountpoint_len, mp, sizeof(mp)) < 0 ||
            parse_unescape_octal(m.root, m.root_len, root, sizeof(root)) < 0)
            continue;
        any_v1 |= is_v1;
        if (is_v1 && parse_has_word(m.superopts, m.superopts_len, "memory", ',')) {
            bool slash = strcmp(root, "/") == 0;
            /* First memory mount wins, but a ROOT of "/" beats a bind mount
             * of a sub-cgroup. */
            if (!have_v1 || (slash && !v1_root_is_slash)) {
                have_v1 = true;
                v1_root_is_slash = slash;
                strcpy(out->memroot, mp);
                strcpy(out->mem_mount_root, root);
            }
        } else if (is_v2) {
            int pref = v2_preference(mp);
            if (pref > v2_pref) {
                v2_pref = pref;
                have_v2 = true;
                strcpy(out->psiroot, mp);
                if (!have_v1)
                    strcpy(out->mem_mount_root, root);
            }
        }
    }
    out->has_psiroot = have_v2;
    if (have_v1) {
        out->mode = have_v2 ? MT_MODE_HYBRID : MT_MODE_V1;
        out->api_v1 = true;
        return MT_LAYOUT_OK;
    }
    if (!have_v2)
        return any_v1 ? MT_LAYOUT_NO_MEMORY : MT_LAYOUT_NO_CGROUPFS;
    out->mode = MT_MODE_V2;
    out->api_v1 = false;
    strcpy(out->memroot, out->psiroot);
    if (!v2_controllers ||
        !parse_has_word(v2_controllers, strlen(v2_controllers), "memory", ' '))
        return MT_LAYOUT_NO_MEMORY;
    return MT_LAYOUT_OK;
}

MtLayoutStatus layout_detect(int rootfd, CgLayout *out)
{
    static char buf[256 * 1024];    /* mountinfo of a busy node can be large */
    char ctl[4096], rel[PATH_MAX + 32];
    ssize_t n = fs_read_at(rootfd, "proc/self/mountinfo", buf, sizeof(buf));

    if (n < 0)
        return MT_LAYOUT_NO_MOUNTINFO;
    MtLayoutStatus st = layout_from_mountinfo(buf, (size_t)n, NULL, out);
    if (st != MT_LAYOUT_NO_MEMORY)
        return st;
    /* Only cgroup2: is the memory controller enabled on it? */
    snprintf(rel, sizeof(rel), "%s/cgroup.controllers", out->psiroot[1] ? out->psiroot + 1 : ".");
    if (fs_read_at(rootfd, rel, ctl, sizeof(ctl)) < 0)
        return MT_LAYOUT_NO_MEMORY;
    return layout_from_mountinfo(buf, (size_t)n, ctl, out);
}

const char *layout_mode_name(MtMode mode)
{
    switch (mode) {
    case MT_MODE_V1: return "v1";
    case MT_MODE_HYBRID: return "hybrid";
    case MT_MODE_V2: return "v2";
    }
    return "?";
}

const char *layout_status_message(MtLayoutStatus st)
{
    switch (st) {
    case MT_LAYOUT_OK: return "ok";
    case MT_LAYOUT_NO_MOUNTINFO: return "cannot read proc/self/mountinfo below the root directory";
    case MT_LAYOUT_NO_CGROUPFS: return "no cgroup file system is mounted";
    case MT_LAYOUT_NO_MEMORY:
        return "the memory cgroup controller is not available (cgroup2 is mounted without "
               "the memory controller, or it was disabled with cgroup_disable=memory)";
    }
    return "unknown error";
}
