/* names.c - the name cache and the runtime file lookups (see names.h). */
#include "config.h"

#include "forensics/names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/format.h"
#include "sample/fsroot.h"
#include "forensics/machines.h"
#include "util/xalloc.h"

#define NAMES_FILE_MAX (16u << 20)  /* bigger runtime JSON files are ignored */
#define NAMES_BUCKETS 512

typedef struct NameSlot {
    char *key;                  /* "c:<id>", "p:<uid>" resolutions; "L:<id>", "P:<uid>" scans */
    NameInfo info;
    bool found;
    uint64_t tried_gen;         /* n->gen of the last attempt */
    struct NameSlot *next;
} NameSlot;

struct Names {
    int rootfd;
    char *docker_root, *containerd_state, *crio_state, *crio_run, *pods_log_dir, *ctr_log_dir;
    NameSlot *buckets[NAMES_BUCKETS];
    uint64_t gen;               /* bumped whenever a new container or pod shows up */
    uint64_t scan_gen;          /* gen of the last kubelet log directory scan (0: never) */
    /* Which runtime state directories exist, and podman's container list,
     * looked at once per generation rather than once per container: a node
     * without (readable) runtime state would otherwise cost every
     * unresolved container several failed lookups whenever one appears. */
    uint64_t probe_gen;
    bool have_docker, have_containerd[2], have_crio[2];
    char *podman_list;          /* containers.json, NULL if absent */
    size_t podman_len;
    Machines *machines;         /* systemd-machined, NULL with no_bus */
};

static const char *const containerd_runtimes[2] = {
    "io.containerd.runtime.v2.task", "io.containerd.runtime.v1.linux",
};

void names_options_default(NamesOptions *o)
{
    o->docker_root = "var/lib/docker";
    o->containerd_state = "run/containerd";
    o->crio_state = "var/lib/containers/storage";
    o->pods_log_dir = "var/log/pods";
    o->no_bus = false;
    o->bus_address = NULL;
}

static char *rel_dup(const char *p)
{
    while (*p == '/')
        p++;
    size_t n = strlen(p);
    while (n > 0 && p[n - 1] == '/')
        n--;
    return n ? xstrndup(p, n) : xstrdup(".");
}

Names *names_new(int rootfd, const NamesOptions *o)
{
    Names *n = xcalloc(1, sizeof(*n));
    NamesOptions d;

    names_options_default(&d);
    n->rootfd = rootfd;
    n->docker_root = rel_dup(o && o->docker_root ? o->docker_root : d.docker_root);
    n->containerd_state = rel_dup(o && o->containerd_state ? o->containerd_state
                                                          : d.containerd_state);
    n->crio_state = rel_dup(o && o->crio_state ? o->crio_state : d.crio_state);
    /* CRI-O keeps some bundles below its run root; look there as well. */
    n->crio_run = rel_dup("run/containers/storage");
    n->pods_log_dir = rel_dup(o && o->pods_log_dir ? o->pods_log_dir : d.pods_log_dir);
    /* kubelet's container log symlinks live next to the pod log dirs */
    const char *slash = strrchr(n->pods_log_dir, '/');
    char buf[4096];
    snprintf(buf, sizeof(buf), "%.*s%scontainers",
             slash ? (int)(slash - n->pods_log_dir) : 0, n->pods_log_dir, slash ? "/" : "");
    n->ctr_log_dir = xstrdup(buf);
    n->gen = 1;
    if (!o || !o->no_bus) {
        MachinesOptions mo = { rootfd, o ? o->bus_address : NULL, 0 };
        n->machines = machines_new(&mo);
    }
    return n;
}

void names_free(Names *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < NAMES_BUCKETS; i++) {
        NameSlot *s = n->buckets[i];
        while (s) {
            NameSlot *next = s->next;
            free(s->key);
            free(s);
            s = next;
        }
    }
    free(n->docker_root);
    free(n->containerd_state);
    free(n->crio_state);
    free(n->crio_run);
    free(n->pods_log_dir);
    free(n->ctr_log_dir);
    free(n->podman_list);
    machines_free(n->machines);
    free(n);
}

static size_t key_hash(const char *k)
{
    size_t h = 5381;
    for (; *k; k++)
        h = h * 33 + (unsigned char)*k;
    return h % NAMES_BUCKETS;
}

static NameSlot *slot_find(const Names *n, const char *key)
{
    for (NameSlot *s = n->buckets[key_hash(key)]; s; s = s->next)
        if (strcmp(s->key, key) == 0)
            return s;
    return NULL;
}

static NameSlot *slot_get(Names *n, const char *key, bool *created)
{
    NameSlot *s = slot_find(n, key);
    if (created)
        *created = s == NULL;
    if (s)
        return s;
    s = xcalloc(1, sizeof(*s));
    s->key = xstrdup(key);
    size_t h = key_hash(key);
    s->next = n->buckets[h];
    n->buckets[h] = s;
    return s;
}

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
static DIR *open_dir(const Names *n, const char *rel)
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

static void probe_runtimes(Names *n)
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

static bool from_docker(Names *n, const char *id, NameInfo *out)
{
    if (!n->have_docker)
        return false;
    char rel[4096];
    snprintf(rel, sizeof(rel), "%s/containers/%s/config.v2.json", n->docker_root, id);
    return try_file(n, rel, names_parse_docker_config, out);
}

/* containerd: the OCI bundle of task <id> in any namespace (k8s.io, moby,
 * default, ...), runtime v2 shims and the old v1 "linux" runtime. */
static bool from_containerd(Names *n, const char *id, NameInfo *out)
{
    const char *const *runtimes = containerd_runtimes;
    char rel[4096];

    for (size_t r = 0; r < 2; r++) {
        if (!n->have_containerd[r])
            continue;
        snprintf(rel, sizeof(rel), "%s/%s", n->containerd_state, runtimes[r]);
        DIR *d = open_dir(n, rel);
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

static bool from_crio(Names *n, const char *id, NameInfo *out)
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

static bool from_podman(Names *n, const char *id, NameInfo *out)
{
    return n->podman_list &&
           names_parse_storage_list(n->podman_list, n->podman_len, id, out) == 0;
}

/* Index the kubelet's log directories: "P:<uid>" -> namespace/pod and
 * "L:<id>" -> pod/namespace/container.  Once per generation at most. */
static void scan_kubelet_logs(Names *n)
{
    if (n->scan_gen == n->gen)
        return;
    n->scan_gen = n->gen;
    const char *dirs[2] = { n->pods_log_dir, n->ctr_log_dir };
    for (int k = 0; k < 2; k++) {
        DIR *d = open_dir(n, dirs[k]);
        if (!d)
            continue;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            NameInfo info;
            char key[NAMES_PART_MAX + 8], id[80];
            memset(&info, 0, sizeof(info));
            if (k == 0 && names_parse_pod_dir(de->d_name, &info) == 0)
                snprintf(key, sizeof(key), "P:%s", info.pod_uid);
            else if (k == 1 && names_parse_container_log(de->d_name, id, sizeof(id), &info) == 0)
                snprintf(key, sizeof(key), "L:%s", id);
            else
                continue;
            NameSlot *s = slot_get(n, key, NULL);
            s->info = info;
            s->found = true;
        }
        closedir(d);
    }
}

/* Fill the k8s parts still missing from the kubelet's log layout. */
static void from_kubelet(Names *n, const CgEntry *e, NameInfo *out)
{
    char key[NAMES_PART_MAX + 8];

    scan_kubelet_logs(n);
    snprintf(key, sizeof(key), "L:%s", e->cls.id);
    NameSlot *s = e->cls.id[0] ? slot_find(n, key) : NULL;
    if (s && s->found) {
        if (!out->container_name[0])
            snprintf(out->container_name, sizeof(out->container_name), "%s",
                     s->info.container_name);
        if (!out->pod_name[0]) {
            snprintf(out->pod_name, sizeof(out->pod_name), "%s", s->info.pod_name);
            snprintf(out->pod_namespace, sizeof(out->pod_namespace), "%s",
                     s->info.pod_namespace);
        }
        if (!out->source)
            out->source = s->info.source;
    }
    snprintf(key, sizeof(key), "P:%s", e->cls.pod_uid);
    s = e->cls.pod_uid[0] ? slot_find(n, key) : NULL;
    if (s && s->found && !out->pod_name[0]) {
        snprintf(out->pod_name, sizeof(out->pod_name), "%s", s->info.pod_name);
        snprintf(out->pod_namespace, sizeof(out->pod_namespace), "%s", s->info.pod_namespace);
        if (!out->source)
            out->source = s->info.source;
    }
}

static bool resolve_container(Names *n, const CgEntry *e, NameInfo *out)
{
    const char *id = e->cls.id;
    bool ok = false;

    probe_runtimes(n);
    switch (e->cls.runtime) {
    case MT_RT_DOCKER:
        ok = from_docker(n, id, out) || from_containerd(n, id, out);
        break;
    case MT_RT_CONTAINERD:
    case MT_RT_NERDCTL:
        ok = from_containerd(n, id, out);
        break;
    case MT_RT_CRIO:
        ok = from_crio(n, id, out);
        break;
    case MT_RT_PODMAN:
        ok = from_podman(n, id, out) || from_crio(n, id, out);
        break;
    case MT_RT_CRI:
        ok = from_containerd(n, id, out) || from_crio(n, id, out) || from_docker(n, id, out);
        break;
    case MT_RT_LXC:
    case MT_RT_NSPAWN:
    case MT_RT_LIBVIRT:
        snprintf(out->name, sizeof(out->name), "%s", id);
        out->source = "cgroup";
        ok = true;
        break;
    default:
        break;
    }
    if (e->cls.in_kubepods && (!out->pod_name[0] || !out->container_name[0]))
        from_kubelet(n, e, out);
    /* Remember the pod's names for the pod row. */
    if (out->pod_name[0] && (out->pod_uid[0] || e->cls.pod_uid[0])) {
        char key[NAMES_PART_MAX + 8];
        snprintf(key, sizeof(key), "P:%s", out->pod_uid[0] ? out->pod_uid : e->cls.pod_uid);
        NameSlot *s = slot_get(n, key, NULL);
        if (!s->found) {
            s->info = *out;
            s->found = true;
        }
    }
    return ok || out->pod_name[0] || out->container_name[0];
}

static bool resolve_pod(Names *n, const CgEntry *e, NameInfo *out)
{
    from_kubelet(n, e, out);
    return out->pod_name[0] != '\0';
}

static bool wants_name(const CgEntry *e)
{
    if (e->cls.kind == MT_KIND_CONTAINER)
        return e->cls.sub != MT_SUB_INSIDE && e->cls.id[0];
    return e->cls.kind == MT_KIND_POD && e->cls.pod_uid[0];
}

static void entry_key(const CgEntry *e, char *key, size_t len)
{
    if (e->cls.kind == MT_KIND_POD)
        snprintf(key, len, "p:%s", e->cls.pod_uid);
    else
        snprintf(key, len, "c:%s", e->cls.id);
}

/* systemd unit names with escapes ("foo\x2dbar.service") read better decoded. */
static void name_unit(CgEntry *e)
{
    char un[512], safe[512];

    if (!strchr(e->name, '\\') || e->cls.in_container)
        return;
    size_t n = classify_unescape_unit(e->name, strlen(e->name), un, sizeof(un));
    sanitize_text(safe, sizeof(safe), un, n, NAMES_DISPLAY_CHARS, true);
    e->display_name = xstrdup(safe);
}

/* The cache slot of a container or pod, resolved once per generation. */
static NameSlot *slot_resolved(Names *n, const CgEntry *e)
{
    char key[MT_ID_MAX + 8];
    bool pod = e->cls.kind == MT_KIND_POD;

    entry_key(e, key, sizeof(key));
    NameSlot *s = slot_get(n, key, NULL);
    if (!s->found && s->tried_gen != n->gen) {
        s->tried_gen = n->gen;
        memset(&s->info, 0, sizeof(s->info));
        s->found = pod ? resolve_pod(n, e, &s->info) : resolve_container(n, e, &s->info);
    }
    return s;
}

static void name_entry(Names *n, CgEntry *e, bool pods)
{
    if ((e->cls.kind == MT_KIND_POD) != pods)
        return;
    NameSlot *s = slot_resolved(n, e);
    if (!s->found)
        return;
    /* LXC and machine names are the cgroup's own: the default label
     * ("lxc:web", "nspawn:build-box") already shows them. */
    if (strcmp(s->info.source ? s->info.source : "", "cgroup") == 0)
        return;
    char disp[4 * NAMES_DISPLAY_CHARS + 8];
    names_format(&s->info, pods, disp, sizeof(disp));
    if (disp[0])
        e->display_name = xstrdup(disp);
}

/* A cgroup named like a machined machine's unit takes the machine's name,
 * unless a runtime's own files named its container (podman registers its
 * containers as machines with generated names).  Below user.slice (a
 * user manager's units) or inside a container the same unit name means
 * another unit.  True when e got the machine's name. */
static bool name_machine(Names *n, CgEntry *e, const MachineMap *mm)
{
    if (e->cls.in_user || e->cls.sub == MT_SUB_INSIDE || e->cls.kind == MT_KIND_POD)
        return false;
    const Machine *mc = machine_map_find(mm, e->name);
    if (!mc)
        return false;
    if (wants_name(e)) {
        NameSlot *s = slot_resolved(n, e);
        const char *src = s->found && s->info.source ? s->info.source : "cgroup";
        if (strcmp(src, "cgroup") != 0 && strcmp(src, "machined") != 0)
            return false;
        memset(&s->info, 0, sizeof(s->info));
        snprintf(s->info.name, sizeof(s->info.name), "%s", mc->name);
        snprintf(s->info.machine_class, sizeof(s->info.machine_class), "%s", mc->cls);
        snprintf(s->info.machine_service, sizeof(s->info.machine_service), "%s", mc->service);
        s->info.source = "machined";
        s->found = true;
    }
    /* mc->name is sanitized and capped already */
    if (!e->display_name || strcmp(e->display_name, mc->name) != 0) {
        free(e->display_name);
        e->display_name = xstrdup(mc->name);
    }
    return true;
}

void names_update(Names *n, CgTable *t)
{
    char key[MT_ID_MAX + 8];
    bool fresh = false;

    for (size_t i = 0; i < t->n; i++) {
        CgEntry *e = t->entries[i];
        if (e->display_name || e->names_gen || !wants_name(e))
            continue;           /* named, or seen before: its slot exists */
        entry_key(e, key, sizeof(key));
        bool created;
        slot_get(n, key, &created);
        fresh |= created;
    }
    if (fresh)
        n->gen++;   /* a new container: retry what was not found before */
    /* machined's answers: when new ones came, every entry is looked at
     * again (a unit may have been named from its cgroup meanwhile). */
    bool again = n->machines && machines_sync(n->machines, n->gen);
    const MachineMap *mm = n->machines ? machines_map(n->machines) : NULL;
    if (mm && mm->n == 0)
        mm = NULL;
    /* Containers first: their annotations also name their pods.  An entry
     * that found no name at this generation, with no new machined answer,
     * would find none again: it is skipped (a tick at a thousand unnamed
     * containers otherwise spends ~2% of its CPU on the same lookups). */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < t->n; i++) {
            CgEntry *e = t->entries[i];
            if (!again && !e->display_name && e->names_gen == n->gen)
                continue;
            if (pass == 0 && mm && (again || !e->display_name) && name_machine(n, e, mm))
                continue;
            if (e->display_name)
                continue;
            if (wants_name(e))
                name_entry(n, e, pass == 1);
            else if (pass == 0)
                name_unit(e);
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        CgEntry *e = t->entries[i];
        if (!e->display_name)
            e->names_gen = n->gen;
    }
}

const NameInfo *names_get(const Names *n, const CgEntry *e)
{
    char key[MT_ID_MAX + 8];

    if (!n || !wants_name(e))
        return NULL;
    entry_key(e, key, sizeof(key));
    const NameSlot *s = slot_find(n, key);
    return s && s->found ? &s->info : NULL;
}
