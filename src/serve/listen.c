/* listen.c - --listen parsing, binding and systemd's sockets. */
#include "config.h"

#include "serve/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

static void describe(const struct sockaddr_storage *ss, int port, char *buf, size_t len)
{
    char host[INET6_ADDRSTRLEN] = "?";

    if (ss->ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, host, sizeof(host));
        snprintf(buf, len, "[%s]:%d", host, port);
    } else {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, host, sizeof(host));
        snprintf(buf, len, "%s:%d", host, port);
    }
}

static int parse_port(const char *s, int *out)
{
    char *end;

    if (!*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 0 || v > 65535)
        return -1;
    *out = (int)v;
    return 0;
}

int listen_parse(const char *spec, ListenAddr *out, char *err, size_t errlen)
{
    char host[64] = "127.0.0.1";
    const char *port = spec;

    memset(out, 0, sizeof(*out));
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof(host))
            goto bad;
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = '\0';
        port = close + 2;
    } else if (strchr(spec, ':')) {
        const char *colon = strrchr(spec, ':');
        if (strchr(spec, ':') != colon || (size_t)(colon - spec) >= sizeof(host))
            goto bad;       /* a bare IPv6 address needs brackets */
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        port = colon + 1;
    }
    if (parse_port(port, &out->port) < 0)
        goto bad;
    struct sockaddr_in *sin = (struct sockaddr_in *)&out->sa;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->sa;
    if (spec[0] != '[' && inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)out->port);
        out->salen = sizeof(*sin);
    } else if (spec[0] == '[' && inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)out->port);
        out->salen = sizeof(*sin6);
    } else {
        goto bad;
    }
    describe(&out->sa, out->port, out->text, sizeof(out->text));
    return 0;
bad:
    snprintf(err, errlen, "invalid --listen '%.100s': expected [ADDR:]PORT with an IPv4 address "
             "or [IPv6] and a port from 0 to 65535 (e.g. 127.0.0.1:%d or [::1]:%d)", spec,
             MT_EXPORTER_DEFAULT_PORT, MT_EXPORTER_DEFAULT_PORT);
    return -1;
}

int listen_bind(ListenAddr *a, char *err, size_t errlen)
{
    int one = 1;
    int fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd < 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", a->text, strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (a->sa.ss_family == AF_INET6) {
        /* [::] means every interface, IPv4 ones too; any other IPv6
         * address only itself */
        const struct in6_addr *ip = &((const struct sockaddr_in6 *)&a->sa)->sin6_addr;
        int only = !IN6_IS_ADDR_UNSPECIFIED(ip);
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof(only));
    }
    if (bind(fd, (struct sockaddr *)&a->sa, a->salen) < 0 || listen(fd, 64) < 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", a->text, strerror(errno));
        close(fd);
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        a->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
        describe(&a->sa, a->port, a->text, sizeof(a->text));
    }
    return fd;
}

int listen_systemd(char *err, size_t errlen)
{
    int n = sd_listen_fds(1);

    if (n <= 0)
        return -1;
    int fd = SD_LISTEN_FDS_START;
    if (sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
        snprintf(err, errlen, "the socket systemd passed (fd %d) is not a listening stream "
                 "socket", fd);
        return -2;
    }
    /* sockets beyond the first are not ours to serve */
    for (int i = 1; i < n; i++)
        close(SD_LISTEN_FDS_START + i);
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

char *listen_describe(int fd, char *buf, size_t len)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);

    memset(&ss, 0, sizeof(ss));
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0 ||
        (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)) {
        snprintf(buf, len, "fd %d", fd);
        return buf;
    }
    int port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                              : ((struct sockaddr_in *)&ss)->sin_port);
    describe(&ss, port, buf, len);
    return buf;
}
