/* layout.h - which cgroup API this host uses and where the memory
 * controller's hierarchy is mounted (SPEC 1.1).
 *
 *   v1      every controller on cgroup v1 ("legacy")
 *   hybrid  memory on a v1 hierarchy, plus a cgroup2 mount (PSI lives there)
 *   v2      memory on the unified cgroup2 hierarchy
 */
#ifndef MEMTOP_LAYOUT_H
#define MEMTOP_LAYOUT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    MT_MODE_V1,
    MT_MODE_HYBRID,
    MT_MODE_V2,
} MtMode;

typedef struct {
    MtMode mode;
    bool api_v1;                    /* memory files use the v1 names */
    char memroot[PATH_MAX];         /* mount point of the memory hierarchy (host path) */
    char mem_mount_root[PATH_MAX];  /* the mount's ROOT field ("/" unless in a cgroupns) */
    bool has_psiroot;
    char psiroot[PATH_MAX];         /* mount point of cgroup2 (hybrid: PSI files) */
} CgLayout;

typedef enum {
    MT_LAYOUT_OK = 0,
    MT_LAYOUT_NO_MOUNTINFO,         /* <root>/proc/self/mountinfo unreadable */
    MT_LAYOUT_NO_CGROUPFS,          /* no cgroup or cgroup2 mount at all */
    MT_LAYOUT_NO_MEMORY,            /* cgroupfs present, memory controller not */
} MtLayoutStatus;

/* Pure part: decide the layout from mountinfo text.  v2_controllers is the
 * content of <cgroup2 mount>/cgroup.controllers, or NULL if it could not be
 * read; it is consulted only when no v1 memory hierarchy exists.  The
 * function is called twice by layout_detect(): first with NULL to learn the
 * cgroup2 mount point (*out filled so far), then with the controllers. */
MtLayoutStatus layout_from_mountinfo(const char *mountinfo, size_t len,
                                     const char *v2_controllers, CgLayout *out);

/* Read <root>/proc/self/mountinfo and the cgroup2 controllers through
 * rootfd and fill *out. */
MtLayoutStatus layout_detect(int rootfd, CgLayout *out);

const char *layout_mode_name(MtMode mode);
const char *layout_status_message(MtLayoutStatus st);

#endif
