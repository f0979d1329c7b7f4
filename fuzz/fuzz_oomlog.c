/* fuzz_oomlog.c - libFuzzer target: the kernel's OOM kill report as memtop
 * reads it from /dev/kmsg, dmesg text or the journal (src/forensics/oomlog.c).
 *
 * The input is split into lines.  Each line goes through the record parser
 * (kmsg "PRI,SEQ,USEC,FLAGS;msg", dmesg "[ secs] msg", bare) and kmsg's
 * \xNN unescaping, then through each line parser ("oom-kill:...",
 * "...Killed process PID (COMM) ...", "Task in ... killed as a result of
 * limit of ...") and into an event store (which pairs the lines of one kill
 * and maps paths below a cgroup-namespace prefix).  Strings must stay
 * NUL-terminated within their buffers and the record's message within the
 * input. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_clean.h"
#include "forensics/oomlog.h"

static void check_event(const OomEvent *e)
{
    if (!e)
        return;
    fuzz_check_terminated(e->path, sizeof(e->path));
    fuzz_check_terminated(e->oom_memcg, sizeof(e->oom_memcg));
    fuzz_check_terminated(e->constraint, sizeof(e->constraint));
    fuzz_check_terminated(e->comm, sizeof(e->comm));
}

static void one_line(OomLog *l, const char *s, size_t len, double t)
{
    KmsgRecord r;
    OomKillLine k;
    OomKilledLine d;
    char msg[1024], a[OOM_PATH_MAX], b[16];

    if (oomlog_parse_kmsg_record(s, len, &r) != 0)
        return;
    if (r.msg < s || r.msg + r.msg_len > s + len)
        abort();
    size_t n = oomlog_unescape_kmsg(r.msg, r.msg_len, msg, sizeof(msg));
    if (n >= sizeof(msg) || fuzz_check_terminated(msg, sizeof(msg)) > n)
        abort();
    if (oomlog_parse_kill_line(msg, n, &k) == 0) {
        fuzz_check_terminated(k.constraint, sizeof(k.constraint));
        fuzz_check_terminated(k.oom_memcg, sizeof(k.oom_memcg));
        fuzz_check_terminated(k.task_memcg, sizeof(k.task_memcg));
        fuzz_check_terminated(k.task, sizeof(k.task));
    }
    if (oomlog_parse_killed_line(msg, n, &d) == 0)
        fuzz_check_terminated(d.comm, sizeof(d.comm));
    if (oomlog_parse_task_in_line(msg, n, a, sizeof(a), b, sizeof(b)) == 0) {
        fuzz_check_terminated(a, sizeof(a));
        fuzz_check_terminated(b, sizeof(b));
    }
    check_event(oomlog_feed(l, msg, n, t, MT_OOM_SRC_KMSG, (uint64_t)t));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *end = s + size;
    OomLog l;
    double t = 1;

    oomlog_init(&l, 4);
    /* kernel paths below this prefix are made relative to it */
    snprintf(l.strip_prefix, sizeof(l.strip_prefix), "/kubepods");
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *le = nl ? nl : end;
        one_line(&l, s, (size_t)(le - s), t);
        t += 1;
        s = le + 1;
    }
    oomlog_flush_pending(&l, t + 100, 10, 0);
    for (size_t i = 0; i < l.n; i++) {
        const OomEvent *e = oomlog_get(&l, i);
        check_event(e);
        oomlog_path_within(e->path, "/");
        oomlog_path_within(e->path, e->oom_memcg);
    }
    oomlog_done(&l);
    return 0;
}
