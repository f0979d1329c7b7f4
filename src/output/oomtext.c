/* oomtext.c - OOM kills in plain words for the TUI (see oomtext.h). */
#include "config.h"

#include "output/oomtext.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output/columns.h"
#include "util/format.h"

#define NAME_CHARS 48           /* cap for names and paths inside a sentence */

char *oomtext_age(char *buf, size_t len, double secs)
{
    if (!(secs > 0))            /* negative or NaN */
        secs = 0;
    if (secs < 60)
        snprintf(buf, len, "%.0fs", floor(secs));
    else if (secs < 3600)
        snprintf(buf, len, "%.0fm", floor(secs / 60));
    else if (secs < 48 * 3600)
        snprintf(buf, len, "%.0fh", floor(secs / 3600));
    else
        snprintf(buf, len, "%.0fd", floor(secs / 86400));
    return buf;
}

static const char *kind_word(const CgEntry *e)
{
    switch (e->cls.kind) {
    case MT_KIND_CONTAINER: return "container";
    case MT_KIND_POD: return "pod";
    default: return "cgroup";
    }
}

/* Label of the cgroup at path: its entry's label when memtop knows it,
 * else the last path component ("…/name"), sanitized and capped. */
static char *path_label(const Model *m, const char *path, char *buf, size_t len, bool utf8)
{
    const CgEntry *x = model_find(m, path);
    if (x)
        return entry_label(x, buf, len, utf8);
    const char *last = strrchr(path, '/');
    if (!last || last == path) {
        sanitize_text(buf, len, path, strlen(path), NAME_CHARS, utf8);
        return buf;
    }
    int n = snprintf(buf, len, "%s", utf8 ? "\xe2\x80\xa6" : "...");
    if (n > 0 && (size_t)n < len)
        sanitize_text(buf + n, len - (size_t)n, last, strlen(last), NAME_CHARS, utf8);
    return buf;
}

static bool is_ancestor(const CgEntry *a, const CgEntry *e)
{
    for (const CgEntry *p = e->parent; p; p = p->parent)
        if (p == a)
            return true;
    return false;
}

char *oomtext_limit(const Model *m, const CgEntry *e, const OomEvent *ev, char *buf, size_t len,
                    bool utf8)
{
    char lab[512], c[64];
    const char *memcg = ev->oom_memcg;

    if (ev->source == MT_OOM_SRC_COUNTER) {
        snprintf(buf, len, "unknown (only the oom_kill counter saw it)");
        return buf;
    }
    sanitize_text(c, sizeof(c), ev->constraint, strlen(ev->constraint), 0, utf8);
    if (!memcg[0] || strcmp(memcg, "/") == 0) {
        if (strcmp(ev->constraint, "CONSTRAINT_NONE") == 0 || strcmp(memcg, "/") == 0)
            snprintf(buf, len, "none: the node ran out of memory (global OOM)");
        else if (c[0] && strcmp(ev->constraint, "CONSTRAINT_MEMCG") != 0)
            snprintf(buf, len, "none: a %s constraint", c);
        else
            snprintf(buf, len, "not in the log");
        return buf;
    }
    const CgEntry *x = model_find(m, memcg);
    if (strcmp(memcg, e->path) == 0) {
        snprintf(buf, len, "this %s's own limit", kind_word(e));
    } else if (x && x->cls.kind == MT_KIND_POD && is_ancestor(x, e)) {
        snprintf(buf, len, "its pod's limit (%s)", entry_label(x, lab, sizeof(lab), utf8));
    } else if (x) {
        snprintf(buf, len, "the limit of %s %s", is_ancestor(x, e) ? "its parent" : kind_word(x),
                 entry_label(x, lab, sizeof(lab), utf8));
    } else {
        snprintf(buf, len, "the limit of %s",
                 path_label(m, memcg, lab, sizeof(lab), utf8));
    }
    return buf;
}

static const char *source_words(MtOomSource s)
{
    switch (s) {
    case MT_OOM_SRC_JOURNAL: return "kernel log (journal)";
    case MT_OOM_SRC_KMSG: return "kernel log (kmsg)";
    case MT_OOM_SRC_COUNTER: return "counter only, no kernel report";
    }
    return "?";
}

static void event_what(const Model *m, const CgEntry *e, const OomEvent *ev, bool utf8,
                       char *buf, size_t len)
{
    char comm[4 * OOM_COMM_MAX], lab[512], in[600] = "", a[16], f[16], s[16];

    if (strcmp(ev->path, e->path) != 0)
        snprintf(in, sizeof(in), " in %s", path_label(m, ev->path, lab, sizeof(lab), utf8));
    if (ev->source == MT_OOM_SRC_COUNTER) {
        snprintf(buf, len, "a process%s was killed; no kernel report names it", in);
        return;
    }
    sanitize_text(comm, sizeof(comm), ev->comm, strlen(ev->comm), NAME_CHARS, utf8);
    int n;
    if (ev->pid > 0)
        n = snprintf(buf, len, "killed pid %ld (%s)%s", ev->pid, comm[0] ? comm : "?", in);
    else
        n = snprintf(buf, len, "killed %s%s", comm[0] ? comm : "a process", in);
    if (n < 0 || (size_t)n >= len)
        return;
    if (ev->has_rss)
        snprintf(buf + n, len - (size_t)n, "; its RSS then: anon %s, file %s, shmem %s",
                 fmt_bytes(a, sizeof(a), ev->anon_rss, true),
                 fmt_bytes(f, sizeof(f), ev->file_rss, true),
                 fmt_bytes(s, sizeof(s), ev->shmem_rss, true));
    else
        snprintf(buf + n, len - (size_t)n, "; the log gives no RSS");
}

void oomtext_event(const Model *m, const CgEntry *e, const OomEvent *ev, double now, bool utf8,
                   OomText *out)
{
    char t[32], age[16], lim[600];
    time_t secs = (time_t)ev->time;
    struct tm tm;

    memset(out, 0, sizeof(*out));
    localtime_r(&secs, &tm);
    strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", &tm);
    if (ev->time > now + 1)
        snprintf(out->when, sizeof(out->when), "%s (after the tick shown)", t);
    else
        snprintf(out->when, sizeof(out->when), "%s (%s ago)", t,
                 oomtext_age(age, sizeof(age), now - ev->time));
    event_what(m, e, ev, utf8, out->what, sizeof(out->what));
    snprintf(out->where, sizeof(out->where), "limit hit: %s; source: %s",
             oomtext_limit(m, e, ev, lim, sizeof(lim), utf8), source_words(ev->source));
}

/* The first of the n variants (longest first) that fits room columns. */
static const char *pick(char v[][32], int n, int room, char *buf, size_t len)
{
    for (int i = 0; i < n; i++)
        if ((int)strlen(v[i]) <= room) {
            snprintf(buf, len, "%s", v[i]);
            return buf;
        }
    return NULL;
}

const char *oomtext_tag(const CgEntry *e, const OomEvent *last, double now, double recent_secs,
                        int room, char *buf, size_t len, bool *alert)
{
    char v[4][32], age[16];

    *alert = false;
    if (e->state == MT_STATE_GONE) {
        if (!last) {
            snprintf(v[0], sizeof(v[0]), "(gone)");
            return pick(v, 1, room, buf, len);
        }
        oomtext_age(age, sizeof(age), now - last->time);
        snprintf(v[0], sizeof(v[0]), "OOM-killed %s ago", age);
        snprintf(v[1], sizeof(v[1]), "OOM-killed %s", age);
        snprintf(v[2], sizeof(v[2]), "OOM %s", age);
        snprintf(v[3], sizeof(v[3]), "OOM");
        return pick(v, 4, room, buf, len);
    }
    double ago = last ? now - last->time : (double)NAN;
    if (!(ago >= -1 && ago <= recent_secs))     /* none, NaN, later, or too old */
        return NULL;
    oomtext_age(age, sizeof(age), ago);
    snprintf(v[0], sizeof(v[0]), "OOM %s ago", age);
    snprintf(v[1], sizeof(v[1]), "OOM %s", age);
    snprintf(v[2], sizeof(v[2]), "OOM");
    const char *r = pick(v, 3, room, buf, len);
    *alert = r != NULL;
    return r;
}
