/* http.c - libmicrohttpd in external epoll mode, serving cached bodies. */
#include "config.h"

#include "serve/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <microhttpd.h>
#include <zlib.h>

#include "util/xalloc.h"

/* A rendered body, shared by the cache and every response sending it. */
typedef struct {
    unsigned refs;
    size_t len, cap;
    char *data;
    HttpServer *owner;
} Body;

/* Buffers of bodies nobody sends any more, kept for the next renders: at a
 * thousand containers a body is ~11 MB, and a malloc/free of that size
 * every tick lets glibc's heap grow (its mmap threshold rises after the
 * first free). */
#define SPARE_MAX 4

struct HttpServer {
    struct MHD_Daemon *d;
    HttpOptions o;
    Body *cache[2][2];          /* [MtExpoFormat][gzip] */
    size_t last_len[2], last_gz[2];     /* to size the next bodies' buffers */
    struct {
        char *p;
        size_t cap;
    } spare[SPARE_MAX];
    HttpStats st;
};

static const char landing[] =
    "<!DOCTYPE html>\n<html><head><title>memtop exporter</title></head>\n"
    "<body><h1>memtop exporter</h1>\n"
    "<p>Per-container memory of this node: <a href=\"/metrics\">/metrics</a></p>\n"
    "</body></html>\n";
static const char not_found[] = "404 not found: the metrics are at /metrics\n";
static const char not_allowed[] = "405 method not allowed: use GET or HEAD\n";

void http_options_default(HttpOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->timeout_secs = 10;
    o->max_connections = 64;
    o->per_ip = 8;
    o->request_limit = 16 * 1024;
}

static void body_unref(void *p)
{
    Body *b = p;
    if (!b || --b->refs > 0)
        return;
    HttpServer *s = b->owner;
    for (int i = 0; s && b->data && i < SPARE_MAX; i++) {
        if (!s->spare[i].p) {
            s->spare[i].p = b->data;
            s->spare[i].cap = b->cap;
            b->data = NULL;
        }
    }
    free(b->data);
    free(b);
}

/* A buffer of at least n bytes: the smallest spare that fits, else the
 * largest spare grown, else a new one.  *cap gets its size. */
static char *buffer_get(HttpServer *s, size_t n, size_t *cap)
{
    int best = -1, big = -1;
    for (int i = 0; i < SPARE_MAX; i++) {
        if (!s->spare[i].p)
            continue;
        if (s->spare[i].cap >= n && (best < 0 || s->spare[i].cap < s->spare[best].cap))
            best = i;
        if (big < 0 || s->spare[i].cap > s->spare[big].cap)
            big = i;
    }
    int i = best >= 0 ? best : big;
    char *p;
    if (i >= 0) {
        p = s->spare[i].p;
        *cap = s->spare[i].cap;
        s->spare[i].p = NULL;
        if (*cap < n) {
            p = xreallocarray(p, n, 1);
            *cap = n;
        }
        return p;
    }
    *cap = n;
    return xmalloc(n);
}

static Body *body_new(HttpServer *s, char *data, size_t len, size_t cap)
{
    Body *body = xcalloc(1, sizeof(*body));
    body->refs = 1;
    body->len = len;
    body->cap = cap;
    body->data = data;
    body->owner = s;
    return body;
}

/* ---- content negotiation ----------------------------------------------------- */

/* The q of one media range or coding ("...;q=0.5"), 1 when absent. */
static double param_q(const char *params, size_t len)
{
    for (size_t i = 0; i + 2 < len; i++) {
        if (params[i] != ';')
            continue;
        size_t j = i + 1;
        while (j < len && params[j] == ' ')
            j++;
        if (j + 1 < len && (params[j] == 'q' || params[j] == 'Q') && params[j + 1] == '=') {
            char num[16];
            size_t k = 0;
            j += 2;
            while (j < len && k < sizeof(num) - 1 && (params[j] == '.' ||
                                                      (params[j] >= '0' && params[j] <= '9')))
                num[k++] = params[j++];
            num[k] = '\0';
            /* q is 0 to 1 with up to three decimals: parse it by hand, the
             * locale's decimal point is not HTTP's */
            double q = 0, scale = 1;
            bool frac = false;
            for (size_t x = 0; x < k; x++) {
                if (num[x] == '.') {
                    frac = true;
                    continue;
                }
                if (frac) {
                    scale /= 10;
                    q += (num[x] - '0') * scale;
                } else {
                    q = q * 10 + (num[x] - '0');
                }
            }
            return q > 1 ? 1 : q;
        }
    }
    return 1;
}

/* Walk a comma-separated header: for each element, the token (before ';'
 * and spaces) and its q. */
typedef void (*ElemFn)(const char *tok, size_t tlen, double q, void *ctx);

static void each_elem(const char *h, ElemFn fn, void *ctx)
{
    while (h && *h) {
        const char *end = strchr(h, ',');
        size_t len = end ? (size_t)(end - h) : strlen(h);
        size_t a = 0;
        while (a < len && (h[a] == ' ' || h[a] == '\t'))
            a++;
        size_t t = a;
        while (t < len && h[t] != ';' && h[t] != ' ' && h[t] != '\t')
            t++;
        if (t > a)
            fn(h + a, t - a, param_q(h + t, len - t), ctx);
        h = end ? end + 1 : NULL;
    }
}

static bool tok_is(const char *tok, size_t len, const char *s)
{
    return strlen(s) == len && strncasecmp(tok, s, len) == 0;
}

typedef struct {
    double om, text, any;
    bool om_set, text_set;
} AcceptQ;

static void accept_elem(const char *tok, size_t len, double q, void *ctx)
{
    AcceptQ *a = ctx;
    if (tok_is(tok, len, "application/openmetrics-text")) {
        if (!a->om_set || q > a->om)
            a->om = q;
        a->om_set = true;
    } else if (tok_is(tok, len, "text/plain")) {
        if (!a->text_set || q > a->text)
            a->text = q;
        a->text_set = true;
    } else if (tok_is(tok, len, "*/*") || tok_is(tok, len, "text/*")) {
        if (q > a->any)
            a->any = q;
    }
}

MtExpoFormat http_negotiate(const char *accept)
{
    AcceptQ a = { 0, 0, 0, false, false };

    if (!accept)
        return MT_EXPO_TEXT;
    each_elem(accept, accept_elem, &a);
    double text = a.text_set ? a.text : a.any;
    /* OpenMetrics only when named: "*" means "whatever", and text is the
     * format every scraper reads */
    return a.om_set && a.om > 0 && a.om >= text ? MT_EXPO_OPENMETRICS : MT_EXPO_TEXT;
}

static void gzip_elem(const char *tok, size_t len, double q, void *ctx)
{
    int *g = ctx;
    if (tok_is(tok, len, "gzip") || tok_is(tok, len, "x-gzip"))
        *g = q > 0 ? 1 : 0;
    else if (tok_is(tok, len, "*") && *g < 0)
        *g = q > 0 ? 1 : 0;
}

bool http_accepts_gzip(const char *ae)
{
    int g = -1;
    each_elem(ae, gzip_elem, &g);
    return g == 1;
}

/* ---- bodies ------------------------------------------------------------------ */

static Body *body_render(HttpServer *s, MtExpoFormat fmt)
{
    if (s->cache[fmt][0])
        return s->cache[fmt][0];
    MetricsBuf b;
    metrics_buf_init(&b);
    b.p = buffer_get(s, s->last_len[fmt] + s->last_len[fmt] / 8 + 4096, &b.cap);
    b.p[0] = '\0';
    s->o.render(&b, fmt, s->o.ctx);
    Body *body = body_new(s, b.p, b.len, b.cap);   /* the buffer changes owner */
    s->last_len[fmt] = b.len;
    s->cache[fmt][0] = body;
    s->st.renders[fmt]++;
    s->st.body_raw[fmt] = b.len;
    return body;
}

static Body *body_gzip(HttpServer *s, MtExpoFormat fmt)
{
    if (s->cache[fmt][1])
        return s->cache[fmt][1];
    Body *raw = body_render(s, fmt);
    z_stream z;
    memset(&z, 0, sizeof(z));
    /* level 1: these texts compress ~6x even so, and the CPU is the node's */
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    /* the last size plus a margin, grown when short: deflateBound is about
     * the raw size, six times what is needed */
    size_t cap, want = s->last_gz[fmt] ? s->last_gz[fmt] + s->last_gz[fmt] / 4 + 4096
                                       : raw->len / 4 + 4096;
    char *out = buffer_get(s, want, &cap);
    z.next_in = (Bytef *)raw->data;
    z.avail_in = (uInt)raw->len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int r;
    while ((r = deflate(&z, Z_FINISH)) == Z_OK || (r == Z_BUF_ERROR && z.avail_out == 0)) {
        size_t used = cap - z.avail_out;
        cap = cap * 2;
        out = xreallocarray(out, cap, 1);
        z.next_out = (Bytef *)out + used;
        z.avail_out = (uInt)(cap - used);
    }
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    if (r != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    Body *body = body_new(s, out, len, cap);
    s->last_gz[fmt] = len;
    s->cache[fmt][1] = body;
    s->st.gzips[fmt]++;
    s->st.body_gzip[fmt] = len;
    return body;
}

void http_new_tick(HttpServer *s)
{
    for (int f = 0; f < 2; f++) {
        for (int g = 0; g < 2; g++) {
            body_unref(s->cache[f][g]);
            s->cache[f][g] = NULL;
        }
    }
}

/* ---- requests ---------------------------------------------------------------- */

static enum MHD_Result queue_static(struct MHD_Connection *c, unsigned status,
                                    const char *text, const char *type, bool allow)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result queue_metrics(HttpServer *s, struct MHD_Connection *c)
{
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_ACCEPT_ENCODING);
    MtExpoFormat fmt = http_negotiate(accept);
    bool gz = http_accepts_gzip(ae);
    Body *b = gz ? body_gzip(s, fmt) : NULL;

    if (!b) {
        gz = false;
        b = body_render(s, fmt);
    }
    b->refs++;
    struct MHD_Response *r =
        MHD_create_response_from_buffer_with_free_callback_cls(b->len, b->data, body_unref, b);
    if (!r) {
        body_unref(b);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            fmt == MT_EXPO_OPENMETRICS ? MT_EXPO_OM_CONTENT_TYPE
                                                       : MT_EXPO_TEXT_CONTENT_TYPE);
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept, Accept-Encoding");
    if (gz)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    HttpServer *s = cls;

    (void)version;
    (void)upload_data;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        /* at once: a body it may send is never read (the connection closes) */
        *upload_data_size = 0;
        s->st.requests++;
        s->st.rejected++;
        return queue_static(c, MHD_HTTP_METHOD_NOT_ALLOWED, not_allowed,
                            "text/plain; charset=utf-8", true);
    }
    /* GET/HEAD: answer when the request is complete (the second call), so
     * the connection can stay open for the scraper's next request.  No
     * scraper sends a body with them: one closes the connection. */
    if (*con_cls == NULL) {
        *con_cls = s;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        s->st.rejected++;
        return MHD_NO;
    }
    s->st.requests++;
    if (strcmp(url, "/metrics") == 0)
        return queue_metrics(s, c);
    if (strcmp(url, "/") == 0)
        return queue_static(c, MHD_HTTP_OK, landing, "text/html; charset=utf-8", false);
    s->st.rejected++;
    return queue_static(c, MHD_HTTP_NOT_FOUND, not_found, "text/plain; charset=utf-8", false);
}

/* Connection-level trouble (a client that vanished, garbage instead of
 * HTTP) is the client's: not worth a line in the journal each time. */
static void quiet_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    (void)fmt;
    (void)ap;
}

HttpServer *http_start(int fd, const HttpOptions *o, char *err, size_t errlen)
{
    HttpServer *s = xcalloc(1, sizeof(*s));

    s->o = *o;
    s->d = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, on_request, s,
                            MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)o->timeout_secs,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned int)o->max_connections,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)o->per_ip,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)o->request_limit,
                            MHD_OPTION_EXTERNAL_LOGGER, quiet_log, NULL,
                            MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, errlen, "cannot start the HTTP server (libmicrohttpd)");
        close(fd);
        free(s);
        return NULL;
    }
    return s;
}

void http_stop(HttpServer *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->d);      /* closes the listening socket and connections */
    http_new_tick(s);
    for (int i = 0; i < SPARE_MAX; i++)
        free(s->spare[i].p);
    free(s);
}

int http_poll_fd(const HttpServer *s)
{
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD);
    return i ? i->epoll_fd : -1;
}

long http_timeout_ms(HttpServer *s)
{
    MHD_UNSIGNED_LONG_LONG t;
    if (MHD_get_timeout(s->d, &t) != MHD_YES)
        return -1;
    return t > 3600000 ? 3600000 : (long)t;
}

void http_run(HttpServer *s)
{
    MHD_run(s->d);
}

const HttpStats *http_stats(const HttpServer *s)
{
    return &s->st;
}
