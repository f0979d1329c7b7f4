/* hog.c - memory workload for the real-runtime test bed (tests/vm/runtimes).
 *
 *   hog MIB         allocate MIB MiB of anonymous memory, touch every page,
 *                   then sleep until killed (the container's main process)
 *   hog MIB exit    the same, then exit 0
 *   hog oom         allocate and touch 1 MiB at a time until the OOM killer
 *                   ends it (a memory.max below the allocation is expected)
 *   hog             allocate nothing, sleep until killed (a pause process:
 *                   podman's pod infra container runs it)
 *
 * Linked statically on the host (gcc -static) and copied into the busybox
 * image, so it runs in every runtime's container without a libc there.
 * Pages are written, not just mapped, so they are charged to the cgroup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void touch(size_t mib)
{
    for (size_t i = 0; i < mib; i++) {
        char *p = malloc(1 << 20);
        if (!p) {
            fprintf(stderr, "hog: malloc failed after %zu MiB\n", i);
            exit(1);
        }
        memset(p, 0x5a, 1 << 20);
    }
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "oom") == 0) {
        for (size_t n = 1;; n++) {
            touch(1);
            if (n % 16 == 0) {
                printf("hog: %zu MiB\n", n);
                fflush(stdout);
            }
        }
    }
    if (argc < 2) {
        for (;;)
            pause();
    }
    if (atoi(argv[1]) <= 0) {
        fprintf(stderr, "usage: hog [MIB [exit] | oom]\n");
        return 2;
    }
    touch((size_t)atoi(argv[1]));
    if (argc >= 3 && strcmp(argv[2], "exit") == 0)
        return 0;
    for (;;)
        pause();
}
