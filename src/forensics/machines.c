/* machines.c - systemd-machined's machines over sd-bus (see machines.h). */
#include "config.h"

#include "forensics/machines.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "util/format.h"
#include "util/xalloc.h"

#define MACHINES_CALL_USEC (10 * 1000000ULL)  /* a call's own timeout: answers
                                                 * may come in later ticks */
#define M1_DEST "org.freedesktop.machine1"

/* ---- the map (pure) ------------------------------------------------------ */

void machine_map_init(MachineMap *m)
{
    memset(m, 0, sizeof(*m));
}

void machine_map_free(MachineMap *m)
{
    free(m->v);
    machine_map_init(m);
}

/* systemd's unit_name_is_valid(), loosely: "prefix.type", at most 255
 * bytes of [A-Za-z0-9:_.@\-\\]. */
bool machines_unit_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    const char *dot = s ? strrchr(s, '.') : NULL;

    if (n == 0 || n >= MACHINES_UNIT_MAX || !dot || dot == s || dot[1] == '\0')
        return false;
    for (const char *p = s; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  strchr(":_.@-\\", c) != NULL;
        if (!ok)
            return false;
    }
    for (const char *p = dot + 1; *p; p++)
        if (*p < 'a' || *p > 'z')
            return false;
    return true;
}

static int tuple_cmp(const void *a, const void *b, void *ctx)
{
    const MachineTuple *t = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(t[i].unit, t[j].unit);
    return c ? c : (i > j) - (i < j);
}

static void copy_clean(char *dst, size_t len, const char *src, size_t max_chars)
{
    src = src ? src : "";
    sanitize_text(dst, len, src, strlen(src), max_chars, true);
}

size_t machine_map_build(MachineMap *m, const MachineTuple *t, size_t n)
{
    size_t *idx = xcalloc(n ? n : 1, sizeof(*idx));
    size_t k = 0;

    for (size_t i = 0; i < n && k < MACHINES_MAX; i++)
        if (t[i].name && t[i].name[0] && machines_unit_valid(t[i].unit))
            idx[k++] = i;
    /* by unit, and within one unit in input order: the last one wins */
    qsort_r(idx, k, sizeof(*idx), tuple_cmp, (void *)t);
    if (m->cap < k) {
        m->v = xreallocarray(m->v, k, sizeof(*m->v));
        m->cap = k;
    }
    m->n = 0;
    for (size_t i = 0; i < k; i++) {
        const MachineTuple *x = &t[idx[i]];
        if (i + 1 < k && strcmp(x->unit, t[idx[i + 1]].unit) == 0)
            continue;
        Machine *o = &m->v[m->n];
        snprintf(o->unit, sizeof(o->unit), "%s", x->unit);
        copy_clean(o->name, sizeof(o->name), x->name, 120);
        copy_clean(o->cls, sizeof(o->cls), x->cls, 0);
        copy_clean(o->service, sizeof(o->service), x->service, 0);
        if (o->name[0])
            m->n++;
    }
    free(idx);
    return m->n;
}

const Machine *machine_map_find(const MachineMap *m, const char *component)
{
    size_t lo = 0, hi = m ? m->n : 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(component, m->v[mid].unit);
        if (c == 0)
            return &m->v[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* D-Bus addresses escape every byte outside [-0-9A-Za-z_/.\*] as %XX. */
int machines_root_address(int rootfd, char *buf, size_t len)
{
    char path[64];
    size_t o;

    snprintf(path, sizeof(path), "/proc/self/fd/%d/run/dbus/system_bus_socket", rootfd);
    o = (size_t)snprintf(buf, len, "unix:path=");
    if (o >= len)
        return -1;
    for (const char *p = path; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9') || strchr("-_/.\\*", c);
        int w = plain ? snprintf(buf + o, len - o, "%c", c)
                      : snprintf(buf + o, len - o, "%%%02x", c);
        if (w < 0 || (size_t)w >= len - o)
            return -1;
        o += (size_t)w;
    }
    return 0;
}

/* ---- the bus ------------------------------------------------------------- */

typedef struct {
    char *name, *cls, *service, *unit;
} RawMachine;

typedef struct {
    Machines *m;
    size_t idx;
} Pending;

struct Machines {
    int rootfd;
    char *address;
    uint64_t budget;            /* usec */
    sd_bus *bus;
    uint64_t asked_gen;         /* gen of the last refresh started (0: none) */
    bool busy;                  /* a refresh is in flight */
    bool done;                  /* a refresh completed since the last sync */
    size_t waiting;             /* unanswered Unit property calls */
    RawMachine *raw;            /* ListMachines' answer, units filled in */
    Pending *pend;
    size_t nraw;
    MachineMap map;
    char note[256];
    bool noted;
};

static uint64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Remember why there is nothing; told once, and only with MEMTOP_DEBUG. */
static void set_note(Machines *m, const char *what, int err, const sd_bus_error *e)
{
    char raw[256];

    if (e && e->name)
        snprintf(raw, sizeof(raw), "%s: %s%s%s", what, e->name, e->message ? ": " : "",
                 e->message ? e->message : "");
    else
        snprintf(raw, sizeof(raw), "%s: %s", what, strerror(err < 0 ? -err : err));
    sanitize_text(m->note, sizeof(m->note), raw, strlen(raw), 200, false);
    const char *dbg = getenv("MEMTOP_DEBUG");
    if (!m->noted && dbg && *dbg) {
        fprintf(stderr, "memtop: machined: %s\n", m->note);
        m->noted = true;
    }
}

static void raw_free(Machines *m)
{
    for (size_t i = 0; i < m->nraw; i++) {
        free(m->raw[i].name);
        free(m->raw[i].cls);
        free(m->raw[i].service);
        free(m->raw[i].unit);
    }
    free(m->raw);
    free(m->pend);
    m->raw = NULL;
    m->pend = NULL;
    m->nraw = 0;
}

static void finish(Machines *m, bool ok)
{
    if (ok) {
        MachineTuple *t = xcalloc(m->nraw ? m->nraw : 1, sizeof(*t));
        size_t k = 0;
        for (size_t i = 0; i < m->nraw; i++) {
            if (!m->raw[i].unit)
                continue;
            t[k++] = (MachineTuple){ m->raw[i].name, m->raw[i].cls, m->raw[i].service,
                                     m->raw[i].unit };
        }
        machine_map_build(&m->map, t, k);
        free(t);
        m->done = true;
        m->note[0] = '\0';
    }
    raw_free(m);
    m->busy = false;
}

static void drop_bus(Machines *m, const char *what, int err)
{
    set_note(m, what, err, NULL);
    /* no flush: it could wait for a peer that does not answer */
    m->bus = sd_bus_close_unref(m->bus);
    m->waiting = 0;
    raw_free(m);
    m->busy = false;
}

static int on_unit(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    Pending *p = userdata;
    Machines *m = p->m;
    const char *unit = NULL;

    (void)ret_error;
    if (!sd_bus_message_is_method_error(reply, NULL) &&
        sd_bus_message_read(reply, "v", "s", &unit) > 0 && unit)
        m->raw[p->idx].unit = xstrndup(unit, MACHINES_UNIT_MAX);
    if (m->waiting > 0 && --m->waiting == 0)
        finish(m, true);
    return 0;
}

/* Ask for the Unit property of machine i (object path). */
static void ask_unit(Machines *m, size_t i, const char *path)
{
    sd_bus_message *q = NULL;
    int r = sd_bus_message_new_method_call(m->bus, &q, M1_DEST, path,
                                           "org.freedesktop.DBus.Properties", "Get");
    if (r >= 0)
        r = sd_bus_message_append(q, "ss", "org.freedesktop.machine1.Machine", "Unit");
    if (r >= 0)
        r = sd_bus_call_async(m->bus, NULL, q, on_unit, &m->pend[i], MACHINES_CALL_USEC);
    sd_bus_message_unref(q);
    if (r >= 0)
        m->waiting++;
}

/* Read ListMachines' a(ssso) into m->raw; the number of machines or < 0. */
static int read_list(Machines *m, sd_bus_message *reply, char ***paths)
{
    const char *name, *cls, *svc, *path;
    size_t cap = 0;
    int r = sd_bus_message_enter_container(reply, SD_BUS_TYPE_ARRAY, "(ssso)");

    *paths = NULL;
    while (r >= 0 && m->nraw < MACHINES_MAX &&
           (r = sd_bus_message_read(reply, "(ssso)", &name, &cls, &svc, &path)) > 0) {
        if (m->nraw == cap) {
            cap = cap ? 2 * cap : 16;
            m->raw = xreallocarray(m->raw, cap, sizeof(*m->raw));
            *paths = xreallocarray(*paths, cap, sizeof(**paths));
        }
        m->raw[m->nraw] = (RawMachine){ xstrndup(name, MACHINES_NAME_MAX),
                                         xstrndup(cls, 64), xstrndup(svc, 64), NULL };
        (*paths)[m->nraw++] = xstrdup(path);
    }
    return r < 0 ? r : (int)m->nraw;
}

static int on_list(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
    Machines *m = userdata;
    char **paths = NULL;

    (void)ret_error;
    if (sd_bus_message_is_method_error(reply, NULL)) {
        set_note(m, "ListMachines", 0, sd_bus_message_get_error(reply));
        finish(m, false);
        return 0;
    }
    int r = read_list(m, reply, &paths);
    if (r < 0) {
        set_note(m, "ListMachines reply", r, NULL);
    } else {
        m->pend = xcalloc(m->nraw ? m->nraw : 1, sizeof(*m->pend));
        for (size_t i = 0; i < m->nraw; i++) {
            m->pend[i] = (Pending){ m, i };
            ask_unit(m, i, paths[i]);
        }
    }
    for (size_t i = 0; paths && i < m->nraw; i++)
        free(paths[i]);
    free(paths);
    if (r < 0 || m->waiting == 0)
        finish(m, r >= 0);
    return 0;
}

/* Is rootfd the real root directory (then the host's bus is the one)? */
static bool root_is_host(int rootfd)
{
    struct stat a, b;
    if (rootfd < 0)
        return true;
    return fstat(rootfd, &a) == 0 && stat("/", &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

static int connect_bus(Machines *m)
{
    char addr[128];
    const char *a = m->address;
    sd_bus *b = NULL;
    int r;

    if (!a && !getenv("DBUS_SYSTEM_BUS_ADDRESS") && !root_is_host(m->rootfd)) {
        /* a --root tree: its own bus socket, if it has one */
        if (faccessat(m->rootfd, "run/dbus/system_bus_socket", F_OK, 0) < 0)
            return -errno;
        if (machines_root_address(m->rootfd, addr, sizeof(addr)) < 0)
            return -ENAMETOOLONG;
        a = addr;
    }
    if (!a) {
        r = sd_bus_open_system(&b);
    } else {
        r = sd_bus_new(&b);
        if (r >= 0)
            r = sd_bus_set_address(b, a);
        if (r >= 0)
            r = sd_bus_set_bus_client(b, 1);
        if (r >= 0)
            r = sd_bus_start(b);
    }
    if (r < 0) {
        sd_bus_unref(b);
        return r;
    }
    m->bus = b;
    return 0;
}

static bool start_refresh(Machines *m)
{
    sd_bus_message *q = NULL;
    int r;

    if (!m->bus && (r = connect_bus(m)) < 0) {
        set_note(m, "no system bus", r, NULL);
        return false;
    }
    r = sd_bus_message_new_method_call(m->bus, &q, M1_DEST, "/org/freedesktop/machine1",
                                       "org.freedesktop.machine1.Manager", "ListMachines");
    if (r >= 0)
        r = sd_bus_call_async(m->bus, NULL, q, on_list, m, MACHINES_CALL_USEC);
    sd_bus_message_unref(q);
    if (r < 0) {
        drop_bus(m, "ListMachines", r);
        return false;
    }
    m->busy = true;
    return true;
}

/* Dispatch what the bus has; wait for more until deadline (monotonic usec)
 * while a refresh is in flight. */
static void pump(Machines *m, uint64_t deadline)
{
    while (m->bus) {
        int r = sd_bus_process(m->bus, NULL);
        if (r < 0) {
            drop_bus(m, "bus connection", r);
            return;
        }
        if (r > 0)
            continue;
        uint64_t now = now_usec();
        if (!m->busy || now >= deadline)
            return;
        r = sd_bus_wait(m->bus, deadline - now);
        if (r < 0 && r != -EINTR) {
            drop_bus(m, "bus wait", r);
            return;
        }
    }
}

Machines *machines_new(const MachinesOptions *o)
{
    Machines *m = xcalloc(1, sizeof(*m));

    m->rootfd = o ? o->rootfd : -1;
    m->address = o && o->address ? xstrdup(o->address) : NULL;
    m->budget = o && o->budget_usec ? o->budget_usec : MACHINES_BUDGET_USEC;
    machine_map_init(&m->map);
    return m;
}

void machines_free(Machines *m)
{
    if (!m)
        return;
    sd_bus_close_unref(m->bus);
    raw_free(m);
    machine_map_free(&m->map);
    free(m->address);
    free(m);
}

bool machines_sync(Machines *m, uint64_t gen)
{
    uint64_t deadline = 0;

    if (!m->busy && gen != m->asked_gen) {
        m->asked_gen = gen;
        if (start_refresh(m))
            deadline = now_usec() + m->budget;
    }
    if (m->bus)
        pump(m, deadline);
    bool done = m->done;
    m->done = false;
    return done;
}

const MachineMap *machines_map(const Machines *m)
{
    return m ? &m->map : NULL;
}

const char *machines_note(const Machines *m)
{
    return m && m->note[0] ? m->note : NULL;
}
