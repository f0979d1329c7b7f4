/* view_detail.c - one cgroup in depth: identity, composition bar,
 * reclaimable split, explanation sentences, history graphs and the top
 * processes.  The content is laid out on virtual lines and scrolled. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/explain.h"
#include "util/format.h"
#include "output/oomtext.h"
#include "tui/ui_state.h"
#include "util/xalloc.h"

#define PROCS_READ_MAX 512
#define PROCS_SHOWN 20
#define OOM_SHOWN 5             /* kills listed at most, newest first; JSON has them all */

typedef struct {
    Ui *ui;
    int top, h, scroll;         /* screen rows [top, top+h) show lines scroll.. */
} Pane;

/* Screen row of virtual line y, -1 when scrolled out. */
static int row(const Pane *p, int y)
{
    int r = y - p->scroll;
    return r >= 0 && r < p->h ? p->top + r : -1;
}

static void pline(const Pane *p, int y, int x, const char *s, attr_t a)
{
    int r = row(p, y);
    if (r >= 0)
        ui_put(r, x, COLS - x, s, a);
}

void view_detail_refresh_procs(Ui *ui, bool force)
{
    const CgEntry *e = ui->sel_path ? model_find(ui->m, ui->sel_path) : NULL;
    if (!e)
        return;
    if (!force && ui->procs_path && strcmp(ui->procs_path, e->path) == 0 &&
        ui->procs_seq == ui->m->seq)
        return;
    free(ui->procs_path);
    ui->procs_path = xstrdup(e->path);
    ui->procs_seq = ui->m->seq;
    /* A replayed model has no cgroupfs: processes were not recorded. */
    ui->procs_err = ui->m->memroot_fd < 0 ? -ENODATA
                    : procs_collect(ui->m->memroot_fd, ui->m->rootfd, cgentry_relpath(e),
                                    PROCS_READ_MAX, &ui->procs);
}

static int wrap(Pane *p, int y, int x, const char *s, attr_t a);

static int identity(Pane *p, const CgEntry *e, int y)
{
    Ui *ui = p->ui;
    char line[700], lab[512], id[MT_ID_MAX], buf[MT_ID_MAX + 64];
    const CgClass *c = &e->cls;
    attr_t la = ui_attr(ui, UI_PAIR_LABEL, A_BOLD);

    entry_label(e, lab, sizeof(lab), ui->utf8);
    pline(p, y, 0, "Name", la);
    pline(p, y++, 12, lab, A_BOLD);
    const char *rt = classify_runtime_name(c->runtime), *sub = classify_subkind_name(c->sub);
    sanitize_text(id, sizeof(id), c->id, strlen(c->id), 0, ui->utf8);
    snprintf(buf, sizeof(buf), "%s%s%s  runtime %s  id %s", classify_kind_name(c->kind),
             sub ? "/" : "", sub ? sub : "", rt ? rt : "-", id[0] ? id : "-");
    pline(p, y, 0, "Kind", la);
    pline(p, y++, 12, buf, A_NORMAL);
    if (c->pod_uid[0] || c->qos != MT_QOS_NONE) {
        const char *q = classify_qos_name(c->qos);
        snprintf(buf, sizeof(buf), "uid %s  qos %s", c->pod_uid[0] ? c->pod_uid : "-", q ? q : "-");
        sanitize_text(line, sizeof(line), buf, strlen(buf), 0, ui->utf8);
        pline(p, y, 0, "Pod", la);
        pline(p, y++, 12, line, A_NORMAL);
    }
    sanitize_text(line, sizeof(line), e->path, strlen(e->path), 0, ui->utf8);
    pline(p, y, 0, "Path", la);
    y = wrap(p, y, 12, line, A_NORMAL);
    if (e->state == MT_STATE_GONE)
        snprintf(buf, sizeof(buf), "none (cgroup is gone: tombstone)");
    else if (ui->procs_err < 0)
        snprintf(buf, sizeof(buf), "unknown (%s)", strerror(-ui->procs_err));
    else
        snprintf(buf, sizeof(buf), "%zu", ui->procs.npids);
    pline(p, y, 0, "Processes", la);
    pline(p, y++, 12, buf, A_NORMAL);
    return y;
}

/* The OOM kills at or below e (forensics.h), in plain words: one line
 * when there are none, else the newest OOM_SHOWN, two or more lines each. */
static int oom_kills(Pane *p, const CgEntry *e, int y)
{
    Ui *ui = p->ui;
    const Forensics *f = ui->src.forensics;
    const OomEvent *ev[OOM_SHOWN];
    char line[1400];

    pline(p, y, 0, "OOM kills", ui_attr(ui, UI_PAIR_LABEL, A_BOLD));
    if (!f) {
        pline(p, y++, 12, ui->src.seek_ticks ? "history is not available in replays (recordings "
                                               "do not carry it)"
                                             : "history is not collected by this source", A_DIM);
        return y;
    }
    /* about three lines a kill: leave at least half the pane to the rest */
    size_t shown = (size_t)MT_MAX(1, MT_MIN(OOM_SHOWN, (p->h - 12) / 3));
    size_t total = forensics_kill_count(f, e), n = forensics_history(f, e, ev, shown);
    if (n == 0) {
        snprintf(line, sizeof(line), "none on record %s", ui->o->oom_backlog
                 ? "in this boot's kernel log or since memtop started" : "since memtop started");
        pline(p, y++, 12, line, A_NORMAL);
        return y;
    }
    snprintf(line, sizeof(line), "%zu on record, newest first", total);
    pline(p, y++, 12, line, A_NORMAL);
    for (size_t i = 0; i < n; i++) {
        OomText t;
        oomtext_event(ui->m, e, ev[i], ui_view_time(ui), ui->utf8, &t);
        snprintf(line, sizeof(line), "%s: %s", t.when, t.what);
        pline(p, y, 1, ui->utf8 ? "\xe2\x80\xa2" : "-", A_NORMAL);
        y = wrap(p, y, 3, line, i == 0 ? A_BOLD : A_NORMAL);
        y = wrap(p, y, 5, t.where, A_NORMAL);
    }
    if (total > n) {
        snprintf(line, sizeof(line), "and %zu older (memtop --json lists every kill)", total - n);
        pline(p, y++, 3, line, A_DIM);
    }
    return y;
}

/* Composition values at the viewed tick (live sample or history). */
typedef struct {
    bool valid;
    uint64_t v[6];              /* anon, shmem, active file, inactive file, kernel, other */
    uint64_t usage, limit, ws;
    bool floor_valid;
    uint64_t floor;             /* non-reclaimable part of usage */
    uint64_t reclaimable;       /* live: derive.c's figure; history: usage - floor */
} Comp;

static const char *const seg_name[] = { "anon", "shmem", "active file", "inactive file",
                                        "kernel", "other" };
static const int seg_pair[] = { UI_PAIR_ANON, UI_PAIR_SHMEM, UI_PAIR_AFILE, UI_PAIR_IFILE,
                                UI_PAIR_KERNEL, UI_PAIR_TITLE };
static const char seg_ascii[] = { '#', 'S', '=', '-', 'k', 'o' };

static uint64_t hv(const HistRecord *r, HistField f)
{
    return r->v[f] == HIST_INVALID ? 0 : hist_decode_bytes(r->v[f]);
}

static void comp_get(const Ui *ui, const CgEntry *e, Comp *c)
{
    memset(c, 0, sizeof(*c));
    if (ui_live(ui)) {
        const CgroupSample *s = &e->cur;
        if (!e->has_cur || !sample_has(s, MT_F_USAGE))
            return;
        c->v[0] = sample_get(s, MT_F_ANON, 0);
        c->v[1] = sample_get(s, MT_F_SHMEM, 0);
        c->v[2] = sample_get(s, MT_F_ACTIVE_FILE, 0);
        c->v[3] = sample_get(s, MT_F_INACTIVE_FILE, 0);
        c->v[4] = sample_get(s, MT_F_KERNEL, 0);
        c->usage = s->v[MT_F_USAGE];
        c->limit = e->d.limit;
        c->ws = e->d.ws;
        c->floor_valid = e->d.floor_valid;
        c->floor = e->d.floor;
        c->reclaimable = e->d.reclaimable;
    } else {
        const HistRecord *r = hist_at(&e->hist, ui->view_seq);
        if (!r || r->v[MT_H_USAGE] == HIST_INVALID)
            return;
        c->v[0] = hv(r, MT_H_ANON);
        c->v[1] = hv(r, MT_H_SHMEM);
        c->v[2] = hv(r, MT_H_ACTIVE_FILE);
        c->v[3] = hv(r, MT_H_INACTIVE_FILE);
        c->v[4] = hv(r, MT_H_KERNEL);
        c->usage = hv(r, MT_H_USAGE);
        c->limit = r->v[MT_H_LIMIT] == HIST_INVALID ? MT_UNLIMITED : hist_decode_bytes(r->v[MT_H_LIMIT]);
        c->ws = hv(r, MT_H_WS);
        c->floor_valid = r->v[MT_H_FLOOR] != HIST_INVALID;
        c->floor = hv(r, MT_H_FLOOR);
        c->reclaimable = c->usage > c->floor ? c->usage - c->floor : 0;
    }
    uint64_t sum = c->v[0] + c->v[1] + c->v[2] + c->v[3] + c->v[4];
    c->v[5] = c->usage > sum ? c->usage - sum : 0;
    c->valid = true;
}

/* The bar: segment widths by largest remainder so they add up exactly. */
static void comp_bar(Pane *p, int y, const Comp *c, int w)
{
    Ui *ui = p->ui;
    bool limited = c->limit != MT_UNLIMITED && c->limit >= c->usage;
    double total = (double)(limited ? c->limit : MT_MAX(c->usage, 1));
    double parts[7], rem[7];
    int cells[7], used = 0;
    for (int i = 0; i < 6; i++)
        parts[i] = (double)c->v[i];
    parts[6] = limited ? (double)(c->limit - c->usage) : 0;
    double sum = 0;
    for (int i = 0; i < 7; i++)
        sum += parts[i];
    if (sum > total)
        total = sum;
    for (int i = 0; i < 7; i++) {
        double x = parts[i] / total * (double)w;
        cells[i] = (int)floor(x);
        rem[i] = x - cells[i];
        used += cells[i];
    }
    while (used < w) {
        int best = 0;
        for (int i = 1; i < 7; i++)
            if (rem[i] > rem[best])
                best = i;
        if (rem[best] <= 0)
            break;
        cells[best]++;
        rem[best] = -1;
        used++;
    }
    int r = row(p, y), x = 1;
    if (r < 0)
        return;
    ui_put(r, 0, 1, "[", A_NORMAL);
    for (int i = 0; i < 7; i++) {
        char ch[2] = { i < 6 ? seg_ascii[i] : '.', 0 };
        const char *g = ui->color && ui->utf8 ? (i < 6 ? "\xe2\x96\x88" : "\xe2\x96\x91") : ch;
        attr_t a = ui_attr(ui, i < 6 ? seg_pair[i] : UI_PAIR_FREE, A_NORMAL);
        for (int k = 0; k < cells[i]; k++)
            ui_put(r, x++, 1, g, a);
    }
    ui_put(r, x, 1, "]", A_NORMAL);
}

static int composition(Pane *p, const CgEntry *e, int y)
{
    Ui *ui = p->ui;
    Comp c;
    char line[512], a[16], b[16], d[16];
    attr_t la = ui_attr(ui, UI_PAIR_LABEL, A_BOLD);

    comp_get(ui, e, &c);
    bool limited = c.limit != MT_UNLIMITED;
    snprintf(line, sizeof(line), "Composition (bar = %s)",
             limited && c.limit >= c.usage ? "limit" : "usage");
    pline(p, y++, 0, line, la);
    if (!c.valid) {
        pline(p, y++, 2, "no sample for this tick", A_DIM);
        return y;
    }
    comp_bar(p, y++, &c, MT_MAX(COLS - 2, 10));
    /* legend with exact figures, wrapped */
    int x = 0, r;
    for (int i = 0; i < 7; i++) {
        uint64_t v = i < 6 ? c.v[i] : (limited && c.limit > c.usage ? c.limit - c.usage : 0);
        if (i == 5 && v == 0)
            continue;
        if (i == 6 && !limited)
            continue;
        char ch[2] = { i < 6 ? seg_ascii[i] : '.', 0 };
        const char *g = ui->color && ui->utf8 ? (i < 6 ? "\xe2\x96\x88" : "\xe2\x96\x91") : ch;
        snprintf(line, sizeof(line), " %s %s", i < 6 ? seg_name[i] : "free to limit",
                 fmt_bytes(a, sizeof(a), v, true));
        int w = ui_text_width(line) + 2;
        if (x + w > COLS) {
            y++;
            x = 0;
        }
        if ((r = row(p, y)) >= 0) {
            ui_put(r, x + 1, 1, g, ui_attr(ui, i < 6 ? seg_pair[i] : UI_PAIR_FREE, A_NORMAL));
            ui_put(r, x + 2, COLS - x - 2, line, A_NORMAL);
        }
        x += w;
    }
    y++;
    snprintf(line, sizeof(line), "usage %s  working set %s  limit %s%s", fmt_bytes(a, sizeof(a), c.usage, true),
             fmt_bytes(b, sizeof(b), c.ws, true), limited ? fmt_bytes(d, sizeof(d), c.limit, true) : "none",
             e->d.limit_outside ? " (set above the visible hierarchy)" : "");
    pline(p, y++, 2, line, A_NORMAL);
    if (c.floor_valid) {
        double u = (double)(c.usage ? c.usage : 1);
        snprintf(line, sizeof(line), "reclaimable %s (%.0f%%)   non-reclaimable floor %s (%.0f%%)",
                 fmt_bytes(a, sizeof(a), c.reclaimable, true), 100.0 * (double)c.reclaimable / u,
                 fmt_bytes(b, sizeof(b), c.floor, true), 100.0 * (double)c.floor / u);
        pline(p, y++, 2, line, A_NORMAL);
    }
    return y;
}

/* Word-wrap text at the screen width starting at column x; words longer
 * than a line are cut at a character boundary.  Returns the next line. */
static int wrap(Pane *p, int y, int x, const char *s, attr_t a)
{
    int w = MT_MAX(COLS - x, 1), cols;
    char buf[1024];
    while (*s) {
        size_t cut = ui_fit_bytes(s, w, &cols);
        if (s[cut] != '\0') {
            /* back up to the last space inside the fitting prefix */
            size_t sp = cut;
            while (sp > 0 && s[sp] != ' ')
                sp--;
            if (sp > 0)
                cut = sp;
        }
        if (cut == 0)
            cut = 1;
        if (cut >= sizeof(buf))
            cut = sizeof(buf) - 1;
        memcpy(buf, s, cut);
        buf[cut] = '\0';
        pline(p, y++, x, buf, a);
        s += cut;
        while (*s == ' ')
            s++;
    }
    return y;
}

static int explanation(Pane *p, const CgEntry *e, int y)
{
    Ui *ui = p->ui;
    Explanation x;
    memset(&x, 0, sizeof(x));
    explain_entry(ui->m, e, &x);
    pline(p, y, 0, "Explanation", ui_attr(ui, UI_PAIR_LABEL, A_BOLD));
    if (x.level[0]) {
        int pair = strcmp(x.level, "OK") == 0 ? UI_PAIR_OK
                 : strcmp(x.level, "WATCH") == 0 ? UI_PAIR_WARN : UI_PAIR_CRIT;
        char lv[64];
        sanitize_text(lv, sizeof(lv), x.level, strlen(x.level), 0, ui->utf8);
        pline(p, y, 13, lv, ui_attr(ui, pair, A_BOLD) | A_BOLD);
    }
    if (!ui_live(ui))
        pline(p, y, 26, "(sentences describe the latest tick)", A_DIM);
    y++;
    for (size_t i = 0; i < x.n; i++) {
        pline(p, y, 1, ui->utf8 ? "\xe2\x80\xa2" : "-", A_NORMAL);
        y = wrap(p, y, 3, x.line[i], A_NORMAL);
    }
    return y;
}

static int graphs(Pane *p, const CgEntry *e, int y)
{
    static const struct { HistField f; bool rate; const char *title; } g[] = {
        { MT_H_WS, false, "Working set" }, { MT_H_ANON, false, "Anon" },
        { MT_H_FILE, false, "File cache" }, { MT_H_PGMAJFAULT_RATE, true, "Major faults/s" },
    };
    int gh = LINES >= 50 ? 5 : 3, cols = COLS >= 100 ? 2 : 1, gw = cols == 2 ? (COLS - 3) / 2 : COLS - 2;
    pline(p, y++, 0, "History", ui_attr(p->ui, UI_PAIR_LABEL, A_BOLD));
    for (int i = 0; i < 4; i++) {
        int gy = y + (i / cols) * (gh + 2), gx = 1 + (i % cols) * (gw + 2);
        ui_graph(p->ui, p->top + gy - p->scroll, gx, gw, gh, e, g[i].f, g[i].rate, g[i].title,
                 p->top, p->top + p->h);
    }
    return y + (4 / cols) * (gh + 2);
}

static int processes(Pane *p, int y)
{
    Ui *ui = p->ui;
    char line[256], a[16], b[16], c[16];
    snprintf(line, sizeof(line), "Top processes by RSS (%zu in the subtree%s)", ui->procs.npids,
             ui->procs.truncated ? ", first ones read" : "");
    pline(p, y++, 0, line, ui_attr(ui, UI_PAIR_LABEL, A_BOLD));
    int cw = MT_MAX(COLS - 8 - 3 * 10 - 2, 8);
    snprintf(line, sizeof(line), "%7s %-*.*s %9s %9s %9s", "PID", cw, cw, "COMMAND", "RSS_ANON",
             "RSS_FILE", "RSS_SHMEM");
    pline(p, y++, 0, line, ui_attr(ui, UI_PAIR_COLHDR, A_REVERSE));
    for (size_t i = 0; i < ui->procs.n && i < PROCS_SHOWN; i++) {
        const ProcInfo *pi = &ui->procs.v[i];
        bool v = pi->rss_valid;
        int r = row(p, y);
        if (r >= 0) {
            snprintf(line, sizeof(line), "%7d ", pi->pid);
            ui_put(r, 0, 8, line, A_NORMAL);
            ui_put_trunc(ui, r, 8, cw, pi->comm, A_NORMAL);
            snprintf(line, sizeof(line), "%9s %9s %9s", fmt_bytes(a, sizeof(a), pi->rss_anon, v),
                     fmt_bytes(b, sizeof(b), pi->rss_file, v), fmt_bytes(c, sizeof(c), pi->rss_shmem, v));
            ui_put(r, 9 + cw, COLS - 9 - cw, line, A_NORMAL);
        }
        y++;
    }
    if (ui->procs.n == 0)
        pline(p, y++, 2, "no processes", A_DIM);
    return y;
}

void view_detail_draw(Ui *ui)
{
    const CgEntry *e = ui->sel_path ? model_find(ui->m, ui->sel_path) : NULL;
    char title[720], lab[700];
    Pane p = { ui, 1, LINES - 2, 0 };

    if (!e) {
        ui_put(0, 0, COLS, "the selected cgroup is gone (Esc: back)", A_BOLD);
        return;
    }
    entry_label(e, lab, sizeof(lab), ui->utf8);
    snprintf(title, sizeof(title), "Detail: %s", lab);
    ui_fill(0, 0, COLS, ui_attr(ui, UI_PAIR_COLHDR, A_REVERSE));
    ui_put_trunc(ui, 0, 0, COLS - 22, title, ui_attr(ui, UI_PAIR_COLHDR, A_REVERSE | A_BOLD));
    const TickTime *tt = model_tick_time(ui->m, ui->view_seq);
    if (tt) {
        time_t s = (time_t)tt->real;
        struct tm tm;
        localtime_r(&s, &tm);
        char hms[16], right[32];
        strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
        snprintf(right, sizeof(right), "%s %s", ui->paused ? "PAUSED" : "", hms);
        ui_put_right(0, COLS - 20, 20, right, ui_attr(ui, UI_PAIR_COLHDR, A_REVERSE));
    }
    /* clamp the scroll to the content height of the last draw */
    if (ui->detail_lines > 0 && ui->detail_scroll > ui->detail_lines - p.h)
        ui->detail_scroll = MT_MAX(ui->detail_lines - p.h, 0);
    p.scroll = ui->detail_scroll;
    int y = identity(&p, e, 0);
    y = oom_kills(&p, e, y);            /* part of the identity block */
    y = composition(&p, e, y + 1);
    y = explanation(&p, e, y + 1);
    y = graphs(&p, e, y + 1);
    y = processes(&p, y + 1);
    ui->detail_lines = y;
    ui_put(LINES - 1, 0, COLS,
           "Esc back  Up/Down/PgUp/PgDn scroll  p pause  Left/Right history  h help  F10 quit",
           ui_attr(ui, UI_PAIR_LABEL, A_NORMAL));
}
