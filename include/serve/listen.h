/* listen.h - the exporter's listening socket: --listen [ADDR:]PORT parsed
 * and bound, or the socket systemd passed (socket activation).
 *
 * ADDR defaults to 127.0.0.1: listening on every interface must be asked
 * for ("0.0.0.0:PORT", "[::]:PORT").  IPv6 addresses are written in
 * brackets; a host name is not accepted (no resolver runs at start). */
#ifndef MEMTOP_LISTEN_H
#define MEMTOP_LISTEN_H

#include <stddef.h>

#include <netinet/in.h>
#include <sys/socket.h>

/* The port memtop's documentation and units use (doc/exporter.md says
 * why this one). */
#define MT_EXPORTER_DEFAULT_PORT 10090

typedef struct {
    struct sockaddr_storage sa;
    socklen_t salen;
    int port;                   /* 0: the kernel picks one */
    char text[80];              /* "127.0.0.1:10090", "[::1]:10090" */
} ListenAddr;

/* 0, or -1 with one line in err. */
int listen_parse(const char *spec, ListenAddr *out, char *err, size_t errlen);

/* A non-blocking, close-on-exec listening TCP socket bound to a, or -1
 * with one line in err ("address already in use", ...).  With port 0 the
 * chosen port is written back to a->port and a->text. */
int listen_bind(ListenAddr *a, char *err, size_t errlen);

/* The first listening stream socket systemd passed (LISTEN_FDS), made
 * non-blocking; -1 when none was passed; -2 with err when what was passed
 * is not a listening stream socket. */
int listen_systemd(char *err, size_t errlen);

/* "ADDR:PORT" of a bound socket into buf; returns buf. */
char *listen_describe(int fd, char *buf, size_t len);

#endif
