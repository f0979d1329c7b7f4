/* names.c - the name cache, the dispatch of a container to the lookups of
 * its runtime, and naming the table's entries (see names.h).  The lookups
 * are in names_runtimes.c and names_kubelet.c, the parsers in
 * names_parse.c. */
#include "config.h"

#include "forensics/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forensics/machines.h"
#include "forensics/names_sources.h"
#include "util/format.h"
#include "util/xalloc.h"

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

NameSlot *names_slot_find(const Names *n, const char *key)
{
    for (NameSlot *s = n->buckets[key_hash(key)]; s; s = s->next)
        if (strcmp(s->key, key) == 0)
            return s;
    return NULL;
}

NameSlot *names_slot_get(Names *n, const char *key, bool *created)
{
    NameSlot *s = names_slot_find(n, key);
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

static bool resolve_container(Names *n, const CgEntry *e, NameInfo *out)
{
    const char *id = e->cls.id;
    bool ok = false;

    names_probe_runtimes(n);
    switch (e->cls.runtime) {
    case MT_RT_DOCKER:
        ok = names_from_docker(n, id, out) || names_from_containerd(n, id, out);
        break;
    case MT_RT_CONTAINERD:
    case MT_RT_NERDCTL:
        ok = names_from_containerd(n, id, out);
        break;
    case MT_RT_CRIO:
        ok = names_from_crio(n, id, out);
        break;
    case MT_RT_PODMAN:
        ok = names_from_podman(n, id, out) || names_from_crio(n, id, out);
        break;
    case MT_RT_CRI:
        ok = names_from_containerd(n, id, out) || names_from_crio(n, id, out) || names_from_docker(n, id, out);
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
        names_from_kubelet(n, e, out);
    /* Remember the pod's names for the pod row. */
    if (out->pod_name[0] && (out->pod_uid[0] || e->cls.pod_uid[0])) {
        char key[NAMES_PART_MAX + 8];
        snprintf(key, sizeof(key), "P:%s", out->pod_uid[0] ? out->pod_uid : e->cls.pod_uid);
        NameSlot *s = names_slot_get(n, key, NULL);
        if (!s->found) {
            s->info = *out;
            s->found = true;
        }
    }
    return ok || out->pod_name[0] || out->container_name[0];
}

static bool resolve_pod(Names *n, const CgEntry *e, NameInfo *out)
{
    names_from_kubelet(n, e, out);
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
    NameSlot *s = names_slot_get(n, key, NULL);
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
        names_slot_get(n, key, &created);
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
    const NameSlot *s = names_slot_find(n, key);
    return s && s->found ? &s->info : NULL;
}
