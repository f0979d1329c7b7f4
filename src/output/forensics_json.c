/* forensics_json.c - OOM kill history, names and processes of a cgroup as
 * fields of its JSON object. */
#include "config.h"

#include "output/forensics_json.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "output/json.h"
#include "util/format.h"

/* Sanitized (control characters, escapes), capped JSON string. */
static json_object *safe_str_cap(const char *s, size_t max_chars)
{
    char buf[4 * OOM_PATH_MAX];
    sanitize_text(buf, sizeof(buf), s, strlen(s), max_chars, true);
    return json_safe_string(buf);
}

static json_object *safe_str(const char *s)
{
    return safe_str_cap(s, NAMES_DISPLAY_CHARS);
}

static json_object *json_event(const OomEvent *ev)
{
    json_object *o = json_object_new_object();
    bool rss = ev->has_rss;

    json_object_object_add(o, "time", json_object_new_double(ev->time));
    json_object_object_add(o, "pid", ev->pid > 0 ? json_object_new_int64(ev->pid) : NULL);
    json_object_object_add(o, "comm", ev->comm[0] ? safe_str(ev->comm) : NULL);
    json_object_object_add(o, "anon_rss", rss ? json_object_new_uint64(ev->anon_rss) : NULL);
    json_object_object_add(o, "file_rss", rss ? json_object_new_uint64(ev->file_rss) : NULL);
    json_object_object_add(o, "shmem_rss", rss ? json_object_new_uint64(ev->shmem_rss) : NULL);
    json_object_object_add(o, "source", json_object_new_string(oomlog_source_name(ev->source)));
    json_object_object_add(o, "cgroup", safe_str_cap(ev->path, 0));
    json_object_object_add(o, "oom_cgroup", ev->oom_memcg[0] ? safe_str_cap(ev->oom_memcg, 0) : NULL);
    json_object_object_add(o, "constraint", ev->constraint[0] ? safe_str(ev->constraint) : NULL);
    return o;
}

json_object *forensics_json_processes(const CgProcList *l)
{
    json_object *arr = json_object_new_array();

    for (size_t i = 0; i < l->n; i++) {
        const CgProc *p = &l->v[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "pid", json_object_new_int(p->pid));
        json_object_object_add(o, "comm", safe_str(p->comm));
        json_object_object_add(o, "rss_anon", p->has_mm ? json_object_new_uint64(p->rss_anon) : NULL);
        json_object_object_add(o, "rss_file", p->has_mm ? json_object_new_uint64(p->rss_file) : NULL);
        json_object_object_add(o, "rss_shmem",
                               p->has_mm ? json_object_new_uint64(p->rss_shmem) : NULL);
        json_object_object_add(o, "swap", p->has_mm ? json_object_new_uint64(p->swap) : NULL);
        json_object_object_add(o, "oom_score_adj", json_object_new_int(p->oom_score_adj));
        json_object_object_add(o, "oom_badness", isfinite(p->badness)
                                   ? json_object_new_int64((int64_t)llround(p->badness)) : NULL);
        json_object_object_add(o, "likely_oom_victim", json_object_new_boolean(p->victim));
        json_object_array_add(arr, o);
    }
    return arr;
}

static void add_name_fields(json_object *obj, const Forensics *f, const CgEntry *e)
{
    const NameInfo *ni = f->names ? names_get(f->names, e) : NULL;
    bool pod = e->cls.kind == MT_KIND_POD;

    json_object_object_add(obj, "pod_name", ni && ni->pod_name[0] ? safe_str(ni->pod_name) : NULL);
    json_object_object_add(obj, "namespace",
                           ni && ni->pod_namespace[0] ? safe_str(ni->pod_namespace) : NULL);
    if (pod)
        return;
    json_object_object_add(obj, "container_name", ni && ni->container_name[0]
                               ? safe_str(ni->container_name) : ni && ni->name[0]
                               ? safe_str(ni->name) : NULL);
    json_object_object_add(obj, "container_type", ni && ni->container_type[0]
                               ? safe_str(ni->container_type) : NULL);
    json_object_object_add(obj, "name_source", ni && ni->source ? safe_str(ni->source) : NULL);
    if (ni && ni->machine_class[0])     /* machined only (README "Names") */
        json_object_object_add(obj, "machine_class", safe_str(ni->machine_class));
    if (ni && ni->machine_service[0])
        json_object_object_add(obj, "machine_service", safe_str(ni->machine_service));
}

static void add_processes(json_object *obj, const Model *m, const CgEntry *e)
{
    CgProcList l;
    uint64_t total;

    if (e->d.limit != MT_UNLIMITED && e->has_cur)
        total = e->d.limit + (e->d.swap_room_valid ? e->d.swap_room : 0);
    else
        total = m->node.mem_valid ? m->node.mem.mem_total + m->node.mem.swap_total : 0;
    if (cgprocs_list(m->memroot_fd, m->rootfd, cgentry_relpath(e), total, &l) < 0) {
        json_object_object_add(obj, "processes", NULL);
        return;
    }
    json_object_object_add(obj, "processes", forensics_json_processes(&l));
    cgprocs_free(&l);
}

void forensics_json_hook(json_object *obj, const Model *m, const CgEntry *e, void *ctx)
{
    const Forensics *f = ctx;
    bool ctr = (e->cls.kind == MT_KIND_CONTAINER && e->cls.sub != MT_SUB_INSIDE) ||
               e->cls.kind == MT_KIND_POD;

    if (ctr)
        add_name_fields(obj, f, e);
    json_object *hist = json_object_new_array();
    for (size_t i = 0; i < f->log.n; i++) {
        const OomEvent *ev = oomlog_get(&f->log, i);
        if (oomlog_path_within(ev->path, e->path))
            json_object_array_add(hist, json_event(ev));
    }
    json_object_object_add(obj, "oom_history", hist);
    if (f->opt.processes && ctr && e->state == MT_STATE_LIVE)
        add_processes(obj, m, e);
}
