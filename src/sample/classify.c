/* classify.c - runtime path layouts (SPEC 1.3) and rules (SPEC 1.4). */
#include "config.h"

#include "sample/classify.h"

#include <string.h>

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

/* name == prefix + 64 hex + (suffix, or nothing if suffix_optional). */
static bool match_id(const char *name, const char *prefix, const char *suffix,
                     bool suffix_optional, bool *had_suffix, char *id)
{
    size_t len = strlen(name), pl = strlen(prefix), sl = strlen(suffix);

    if (!starts(name, prefix))
        return false;
    const char *h = name + pl;
    size_t rest = len - pl;
    bool with = rest == 64 + sl && sl > 0 && memcmp(h + 64, suffix, sl) == 0;
    bool without = rest == 64 && (suffix_optional || sl == 0);
    if (!(with || without) || !is_hex(h, 64))
        return false;
    memcpy(id, h, 64);
    id[64] = '\0';
    if (had_suffix)
        *had_suffix = with;
    return true;
}

size_t classify_unescape_unit(const char *s, size_t len, char *out, size_t outlen)
{
    size_t o = 0;

    if (outlen == 0)
        return 0;
    for (size_t i = 0; i < len && o + 1 < outlen; i++) {
        if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' && is_hex(s + i + 2, 2)) {
            int hi = s[i + 2] <= '9' ? s[i + 2] - '0' : s[i + 2] - 'a' + 10;
            int lo = s[i + 3] <= '9' ? s[i + 3] - '0' : s[i + 3] - 'a' + 10;
            out[o++] = (char)(hi * 16 + lo);
            i += 3;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return o;
}

void classify_root(CgClass *out)
{
    memset(out, 0, sizeof(*out));
    out->kind = MT_KIND_CGROUP;
    out->sub = MT_SUB_ROOT;
    out->container_depth = -1;
}

static void set_container(CgClass *c, MtKind kind, MtRuntime rt, int depth)
{
    c->kind = kind;
    c->runtime = rt;
    c->in_container = true;
    c->container_depth = depth;
}

/* Copy a possibly long name into id, truncating. */
static void set_id(CgClass *c, const char *s, size_t len)
{
    if (len >= sizeof(c->id))
        len = sizeof(c->id) - 1;
    memcpy(c->id, s, len);
    c->id[len] = '\0';
}

/* Systemd scopes of the container engines ("docker-<id>.scope", ...). */
static bool match_engine_scope(CgClass *c, const char *parent_name, const char *name, int depth)
{
    bool sfx;

    if (match_id(name, "crio-conmon-", ".scope", true, NULL, c->id)) {
        set_container(c, MT_KIND_HELPER, MT_RT_CRIO, depth);
        return true;
    }
    if (match_id(name, "crio-", ".scope", true, &sfx, c->id)) {
        set_container(c, MT_KIND_CONTAINER, MT_RT_CRIO, depth);
        /* Under the systemd driver, the infra container has no .scope. */
        if (!sfx && ends(parent_name, strlen(parent_name), ".slice"))
            c->sub = MT_SUB_SANDBOX;
        return true;
    }
    if (match_id(name, "cri-containerd-", ".scope", false, NULL, c->id)) {
        set_container(c, MT_KIND_CONTAINER, MT_RT_CONTAINERD, depth);
        return true;
    }
    if (match_id(name, "docker-", ".scope", false, NULL, c->id)) {
        set_container(c, MT_KIND_CONTAINER, MT_RT_DOCKER, depth);
        return true;
    }
    if (match_id(name, "libpod-conmon-", ".scope", false, NULL, c->id)) {
        set_container(c, MT_KIND_HELPER, MT_RT_PODMAN, depth);
        return true;
    }
    if (match_id(name, "libpod-", ".scope", true, NULL, c->id)) {
        set_container(c, MT_KIND_CONTAINER, MT_RT_PODMAN, depth);
        return true;
    }
    if (match_id(name, "nerdctl-", ".scope", false, NULL, c->id)) {
        set_container(c, MT_KIND_CONTAINER, MT_RT_NERDCTL, depth);
        return true;
    }
    return false;
}

/* LXC: lxc.payload.NAME, lxc.monitor.NAME, and lxc/NAME before 4.0. */
static bool match_lxc(CgClass *c, const char *parent_name, const char *name, int depth)
{
    size_t len = strlen(name);

    if (starts(name, "lxc.payload.") && len > 12) {
        set_container(c, MT_KIND_CONTAINER, MT_RT_LXC, depth);
        set_id(c, name + 12, len - 12);
        return true;
    }
    if (starts(name, "lxc.monitor.") && len > 12) {
        set_container(c, MT_KIND_HELPER, MT_RT_LXC, depth);
        set_id(c, name + 12, len - 12);
        return true;
    }
    if (depth == 2 && strcmp(parent_name, "lxc") == 0) {
        /* legacy LXC (< 4.0): lxc/<name> */
        set_container(c, MT_KIND_CONTAINER, MT_RT_LXC, depth);
        set_id(c, name, len);
        return true;
    }
    return false;
}

/* Machines below machine.slice: libvirt and nspawn. */
static bool match_machine(CgClass *c, const CgClass *parent, const char *name, int depth)
{
    size_t len = strlen(name);

    if (parent->machine_slice && starts(name, "machine-") && ends(name, len, ".scope") &&
        len > 8 + 6) {
        char un[MT_ID_MAX];
        size_t n = classify_unescape_unit(name + 8, len - 8 - 6, un, sizeof(un));
        bool libvirt = starts(un, "qemu-") || starts(un, "lxc-");
        set_container(c, MT_KIND_CONTAINER, libvirt ? MT_RT_LIBVIRT : MT_RT_NSPAWN, depth);
        set_id(c, un, n);
        return true;
    }
    /* machinectl start / systemd-nspawn@.service: nspawn runs with
     * --keep-unit, so the machine's cgroup is the service itself. */
    if (parent->machine_slice && starts(name, "systemd-nspawn@") &&
        ends(name, len, ".service") && len > 15 + 8) {
        char un[MT_ID_MAX];
        size_t n = classify_unescape_unit(name + 15, len - 15 - 8, un, sizeof(un));
        set_container(c, MT_KIND_CONTAINER, MT_RT_NSPAWN, depth);
        set_id(c, un, n);
        return true;
    }
    return false;
}

/* A bare 64-hex id (cgroupfs driver): docker/<id>, or a pod's container. */
static bool match_bare_id(CgClass *c, const CgClass *parent, const char *parent_name,
                          const char *name, int depth)
{
    if (strlen(name) != 64 || !is_hex(name, 64))
        return false;
    MtRuntime rt = MT_RT_NONE;
    if (strcmp(parent_name, "docker") == 0)
        rt = MT_RT_DOCKER;
    else if (parent->in_kubepods && parent->kind == MT_KIND_POD)
        rt = MT_RT_CRI;
    set_container(c, MT_KIND_CONTAINER, rt, depth);
    set_id(c, name, 64);
    return true;
}

/* Container and helper rules, in this order; true when one matched. */
static bool classify_runtime(CgClass *c, const CgClass *parent, const char *parent_name,
                             const char *name, int depth)
{
    return match_engine_scope(c, parent_name, name, depth) ||
           match_lxc(c, parent_name, name, depth) ||
           match_machine(c, parent, name, depth) ||
           match_bare_id(c, parent, parent_name, name, depth);
}

/* kubepods-[burstable-|besteffort-]pod<uid_>.slice */
static bool match_pod_systemd(CgClass *c, const char *name)
{
    size_t len = strlen(name);
    const char *p;

    if (!starts(name, "kubepods-") || !ends(name, len, ".slice"))
        return false;
    p = name + 9;
    MtQos qos = MT_QOS_GUARANTEED;
    if (starts(p, "burstable-")) {
        qos = MT_QOS_BURSTABLE;
        p += 10;
    } else if (starts(p, "besteffort-")) {
        qos = MT_QOS_BESTEFFORT;
        p += 11;
    }
    if (!starts(p, "pod"))
        return false;
    p += 3;
    size_t ul = (size_t)(name + len - 6 - p);
    if (ul < 32 || ul > 36)
        return false;
    for (size_t i = 0; i < ul; i++)
        if (!(is_hex(p + i, 1) || p[i] == '_'))
            return false;
    for (size_t i = 0; i < ul; i++)
        c->pod_uid[i] = p[i] == '_' ? '-' : p[i];
    c->pod_uid[ul] = '\0';
    c->kind = MT_KIND_POD;
    c->qos = qos;
    return true;
}

/* pod<uid> below kubepods (cgroupfs driver) */
static bool match_pod_cgroupfs(CgClass *c, const CgClass *parent, const char *name)
{
    size_t len = strlen(name);

    if (!parent->in_kubepods || !starts(name, "pod") || len < 3 + 32 || len > 3 + 36)
        return false;
    for (size_t i = 3; i < len; i++)
        if (!(is_hex(name + i, 1) || name[i] == '-'))
            return false;
    memcpy(c->pod_uid, name + 3, len - 3);
    c->pod_uid[len - 3] = '\0';
    c->kind = MT_KIND_POD;
    if (c->qos == MT_QOS_NONE)
        c->qos = MT_QOS_GUARANTEED;
    return true;
}

static void classify_generic(CgClass *c, const CgClass *parent, const char *parent_name,
                             const char *name)
{
    size_t len = strlen(name);

    /* kubepods may sit below the hierarchy root (kubelet --cgroup-root, or
     * a nested node); it never nests in itself. */
    if (!parent->in_kubepods &&
        (strcmp(name, "kubepods.slice") == 0 || strcmp(name, "kubepods") == 0)) {
        c->kind = len > 8 ? MT_KIND_SLICE : MT_KIND_CGROUP;
        c->sub = MT_SUB_K8S_ROOT;
        c->in_kubepods = true;
        return;
    }
    if (parent->sub == MT_SUB_K8S_ROOT &&
        (strcmp(name, "kubepods-burstable.slice") == 0 || strcmp(name, "burstable") == 0 ||
         strcmp(name, "kubepods-besteffort.slice") == 0 || strcmp(name, "besteffort") == 0)) {
        c->kind = ends(name, len, ".slice") ? MT_KIND_SLICE : MT_KIND_CGROUP;
        c->sub = MT_SUB_QOS;
        c->qos = strstr(name, "burstable") ? MT_QOS_BURSTABLE : MT_QOS_BESTEFFORT;
        return;
    }
    if (match_pod_systemd(c, name) || match_pod_cgroupfs(c, parent, name))
        return;
    if (strcmp(name, "user.slice") == 0 && parent->sub == MT_SUB_ROOT)
        c->in_user = true;
    if (ends(name, len, ".service"))
        c->kind = MT_KIND_SERVICE;
    else if (strcmp(name, "init.scope") == 0 && parent->sub == MT_SUB_ROOT) {
        c->kind = MT_KIND_SCOPE;
        c->sub = MT_SUB_INIT;
    } else if (ends(name, len, ".scope"))
        c->kind = MT_KIND_SCOPE;
    else if (ends(name, len, ".slice"))
        c->kind = MT_KIND_SLICE;
    else
        c->kind = MT_KIND_CGROUP;
    if (c->in_user && c->sub == MT_SUB_NONE)
        c->sub = MT_SUB_USER;
    c->machine_slice = strcmp(name, "machine.slice") == 0;
    (void)parent_name;
}

void classify_child(const CgClass *parent, const char *parent_name, const char *name,
                    int depth, CgClass *out)
{
    size_t len = strlen(name);
    CgClass c;

    memset(&c, 0, sizeof(c));
    c.container_depth = -1;
    c.in_kubepods = parent->in_kubepods;
    c.in_user = parent->in_user;
    c.qos = parent->qos;
    memcpy(c.pod_uid, parent->pod_uid, sizeof(c.pod_uid));

    if (parent->in_container) {
        /* Everything below a container belongs to it. */
        c.in_container = true;
        c.runtime = parent->runtime;
        c.container_depth = parent->container_depth;
        memcpy(c.id, parent->id, sizeof(c.id));
        c.sub = MT_SUB_INSIDE;
        c.kind = ends(name, len, ".service") ? MT_KIND_SERVICE
               : ends(name, len, ".scope")   ? MT_KIND_SCOPE
               : ends(name, len, ".slice")   ? MT_KIND_SLICE
                                              : MT_KIND_CGROUP;
        *out = c;
        return;
    }
    /* systemd mount units are never workloads (cAdvisor ignores them too). */
    if (ends(name, len, ".mount")) {
        c.kind = MT_KIND_CGROUP;
        *out = c;
        return;
    }
    if (!classify_runtime(&c, parent, parent_name, name, depth))
        classify_generic(&c, parent, parent_name, name);
    *out = c;
}

const char *classify_kind_name(MtKind k)
{
    static const char *const names[MT_KIND_MAX] = {
        "container", "pod", "helper", "service", "slice", "scope", "cgroup",
    };
    return k < MT_KIND_MAX ? names[k] : "cgroup";
}

const char *classify_subkind_name(MtSubkind s)
{
    static const char *const names[MT_SUB_MAX] = {
        NULL, "sandbox", "qos", "k8s-root", "user", "init", "inside-container", "root",
    };
    return s < MT_SUB_MAX ? names[s] : NULL;
}

const char *classify_runtime_name(MtRuntime r)
{
    static const char *const names[MT_RT_MAX] = {
        NULL, "docker", "containerd", "cri-o", "podman", "nspawn", "lxc", "nerdctl",
        "libvirt", "cri",
    };
    return r < MT_RT_MAX ? names[r] : NULL;
}

const char *classify_qos_name(MtQos q)
{
    switch (q) {
    case MT_QOS_GUARANTEED: return "guaranteed";
    case MT_QOS_BURSTABLE: return "burstable";
    case MT_QOS_BESTEFFORT: return "besteffort";
    default: return NULL;
    }
}
