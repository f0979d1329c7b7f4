/* mtwork.c - memory workloads for memtop's VM tests (built with gcc -static,
 * runs in the guest next to busybox; also usable on the host).
 *
 *   mtwork [-c CGROUP_DIR] [-r READY_FILE] [-x] CMD [ARG...]
 *
 *   anon MIB         mmap MIB of private anonymous memory and write every page
 *   read PATH        read(2) PATH to the end (page cache, charged to the reader)
 *   map PATH         mmap PATH shared read-only and touch every page (mapped_file)
 *   write PATH MIB   create PATH with MIB of data (tmpfs: shmem; disk: dirty cache)
 *   hold             nothing
 *
 * -c moves the process into CGROUP_DIR first (writes 0 to cgroup.procs, the
 * kernel's "this process"), so all its memory is charged there.  After CMD
 * the process creates READY_FILE (-r) and then sleeps until killed, keeping
 * its memory, unless -x is given (exit instead).  Exit status 1 with a
 * message on stderr on any error. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB (1024UL * 1024UL)

static void die(const char *what)
{
    fprintf(stderr, "mtwork: %s: %s\n", what, strerror(errno));
    exit(1);
}

static size_t parse_mib(const char *s)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v == 0 || v > 65536) {
        fprintf(stderr, "mtwork: bad size in MiB: %s\n", s);
        exit(2);
    }
    return v * MIB;
}

static void join_cgroup(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        die(path);
    if (write(fd, "0\n", 2) != 2)
        die(path);
    close(fd);
}

/* Fill with a page-dependent pattern: compressible for zram, but not the
 * same-filled pages zram stores without compressing. */
static void fill(unsigned char *p, size_t len)
{
    long pg = sysconf(_SC_PAGESIZE);
    for (size_t off = 0; off < len; off += (size_t)pg) {
        uint64_t *w = (uint64_t *)(p + off);
        for (size_t i = 0; i < (size_t)pg / sizeof(*w); i += 8)
            w[i] = off + i;
    }
}

static void do_anon(size_t len)
{
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        die("mmap anon");
    fill(p, len);
}

static void do_read(const char *path)
{
    static char buf[1 << 16];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die(path);
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        ;
    if (n < 0)
        die(path);
    close(fd);
}

static void do_map(const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0)
        die(path);
    volatile unsigned char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        die("mmap file");
    long pg = sysconf(_SC_PAGESIZE);
    unsigned sum = 0;
    for (off_t off = 0; off < st.st_size; off += pg)
        sum += p[off];
    (void)sum;
    close(fd);                  /* the mapping stays */
}

static void do_write(const char *path, size_t len)
{
    static unsigned char buf[1 << 16];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        die(path);
    for (size_t done = 0; done < len; done += sizeof(buf)) {
        fill(buf, sizeof(buf));
        buf[0] = (unsigned char)(done >> 16);
        if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
            die(path);
    }
    close(fd);
}

static void usage(void)
{
    fputs("usage: mtwork [-c CGROUP_DIR] [-r READY_FILE] [-x] "
          "anon MIB | read PATH | map PATH | write PATH MIB | hold\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *cg = NULL, *ready = NULL;
    int opt, exit_after = 0;

    while ((opt = getopt(argc, argv, "+c:r:x")) != -1) {
        switch (opt) {
        case 'c': cg = optarg; break;
        case 'r': ready = optarg; break;
        case 'x': exit_after = 1; break;
        default: usage();
        }
    }
    if (optind >= argc)
        usage();
    const char *cmd = argv[optind];
    int nargs = argc - optind - 1;
    char **a = argv + optind + 1;

    if (cg)
        join_cgroup(cg);
    if (strcmp(cmd, "anon") == 0 && nargs == 1)
        do_anon(parse_mib(a[0]));
    else if (strcmp(cmd, "read") == 0 && nargs == 1)
        do_read(a[0]);
    else if (strcmp(cmd, "map") == 0 && nargs == 1)
        do_map(a[0]);
    else if (strcmp(cmd, "write") == 0 && nargs == 2)
        do_write(a[0], parse_mib(a[1]));
    else if (strcmp(cmd, "hold") != 0 || nargs != 0)
        usage();

    if (ready) {
        int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            die(ready);
        close(fd);
    }
    if (exit_after)
        return 0;
    for (;;)
        pause();
}
