/* classify.h - what a cgroup is, from its path alone (SPEC 1.3/1.4).
 *
 * Classification is incremental: a cgroup's class follows from its parent's
 * class and its own directory name, so each cgroup is classified once, when
 * it is discovered.  The outermost component that matches a container or
 * helper rule fixes runtime and id; every descendant of a container is
 * "inside" it and belongs to it. */
#ifndef MEMTOP_CLASSIFY_H
#define MEMTOP_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    MT_KIND_CONTAINER,
    MT_KIND_POD,
    MT_KIND_HELPER,     /* conmon, lxc monitor: runtime plumbing, not a workload */
    MT_KIND_SERVICE,
    MT_KIND_SLICE,
    MT_KIND_SCOPE,
    MT_KIND_CGROUP,
    MT_KIND_MAX
} MtKind;

/* Finer detail than the JSON "kind" enum carries. */
typedef enum {
    MT_SUB_NONE,
    MT_SUB_SANDBOX,     /* CRI-O infra container (crio-<id> without .scope) */
    MT_SUB_QOS,         /* kubepods-burstable.slice, kubepods/besteffort, ... */
    MT_SUB_K8S_ROOT,    /* kubepods.slice / kubepods */
    MT_SUB_USER,        /* below user.slice */
    MT_SUB_INIT,        /* init.scope (PID 1) */
    MT_SUB_INSIDE,      /* a descendant of a container cgroup */
    MT_SUB_ROOT,        /* the hierarchy root */
    MT_SUB_MAX
} MtSubkind;

typedef enum {
    MT_RT_NONE,
    MT_RT_DOCKER,
    MT_RT_CONTAINERD,
    MT_RT_CRIO,
    MT_RT_PODMAN,
    MT_RT_NSPAWN,
    MT_RT_LXC,
    MT_RT_NERDCTL,
    MT_RT_LIBVIRT,
    MT_RT_CRI,          /* bare id inside a kubepods pod: containerd or cri-dockerd */
    MT_RT_MAX
} MtRuntime;

typedef enum {
    MT_QOS_NONE,
    MT_QOS_GUARANTEED,
    MT_QOS_BURSTABLE,
    MT_QOS_BESTEFFORT,
} MtQos;

#define MT_ID_MAX 256           /* container ids are 64 hex; LXC/machine names up to 255 */
#define MT_POD_UID_MAX 40

typedef struct {
    MtKind kind;
    MtSubkind sub;
    MtRuntime runtime;          /* of the container this cgroup is or is inside */
    MtQos qos;
    bool in_kubepods;           /* below kubepods(.slice) */
    bool in_container;          /* this cgroup is a container or inside one */
    bool in_user;               /* below user.slice */
    bool machine_slice;         /* this component is machine.slice */
    int container_depth;        /* depth of the container component, -1 if none */
    char id[MT_ID_MAX];         /* container id or name (unescaped), "" if none */
    char pod_uid[MT_POD_UID_MAX]; /* with dashes, "" if none */
} CgClass;

/* Class of the hierarchy root. */
void classify_root(CgClass *out);

/* Class of the child called name (one path component) at depth (root = 0,
 * its children 1, ...) of a cgroup whose class is parent and whose own
 * component is parent_name ("" for the root). */
void classify_child(const CgClass *parent, const char *parent_name, const char *name,
                    int depth, CgClass *out);

const char *classify_kind_name(MtKind k);
const char *classify_subkind_name(MtSubkind s);     /* NULL for MT_SUB_NONE */
const char *classify_runtime_name(MtRuntime r);     /* NULL for MT_RT_NONE */
const char *classify_qos_name(MtQos q);             /* NULL for MT_QOS_NONE */

/* Decode systemd unit-name escapes (\xNN) into out; returns length. */
size_t classify_unescape_unit(const char *s, size_t len, char *out, size_t outlen);

#endif
