/* http.h - the exporter's HTTP server: libmicrohttpd driven from the
 * caller's own loop (one epoll fd to poll, no thread), with explicit
 * limits, GET/HEAD only, "/" and "/metrics" only, content negotiation
 * (OpenMetrics 1.0.0 when Accept asks for it, else text 0.0.4) and gzip.
 *
 * Bodies are rendered on demand, at most once per format per tick (the
 * render callback), gzip-compressed at most once per format per tick, and
 * shared by reference with every response that sends them: a scrape never
 * reads cgroupfs and any number of scrapers cost one render per tick.
 * http_new_tick() drops the cache; responses still sending keep their
 * body alive. */
#ifndef MEMTOP_HTTP_H
#define MEMTOP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/metrics.h"

typedef struct {
    /* Render the current exposition in fmt into out (empty on entry). */
    void (*render)(MetricsBuf *out, MtExpoFormat fmt, void *ctx);
    void *ctx;
    unsigned timeout_secs;      /* idle connection timeout (default 10) */
    unsigned max_connections;   /* total (default 64) */
    unsigned per_ip;            /* connections from one address (default 8) */
    size_t request_limit;       /* bytes of a request's headers (default 16 KiB) */
} HttpOptions;

void http_options_default(HttpOptions *o);

typedef struct HttpServer HttpServer;

/* Serve on the listening socket fd (the server owns it from now on).
 * NULL with one line in err. */
HttpServer *http_start(int fd, const HttpOptions *o, char *err, size_t errlen);
void http_stop(HttpServer *s);

/* The descriptor to poll for input; then call http_run. */
int http_poll_fd(const HttpServer *s);
/* Milliseconds until http_run must be called even without input; -1: no
 * deadline. */
long http_timeout_ms(HttpServer *s);
/* Accept, read, answer and time out what is ready; never blocks. */
void http_run(HttpServer *s);
/* A new tick: forget the rendered bodies. */
void http_new_tick(HttpServer *s);

typedef struct {
    uint64_t requests;          /* answered (any status) */
    uint64_t rejected;          /* 4xx answers */
    uint64_t renders[2];        /* bodies rendered, by MtExpoFormat */
    uint64_t gzips[2];          /* bodies compressed */
    size_t body_raw[2], body_gzip[2];   /* sizes of the last bodies, bytes */
} HttpStats;

const HttpStats *http_stats(const HttpServer *s);

/* Content negotiation, exposed for the tests: the format an Accept header
 * (NULL: none) asks for, and whether Accept-Encoding allows gzip. */
MtExpoFormat http_negotiate(const char *accept);
bool http_accepts_gzip(const char *accept_encoding);

#endif
