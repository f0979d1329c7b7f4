/* fuzz_mountinfo.c - libFuzzer target: /proc/self/mountinfo through
 * layout_from_mountinfo (which uses parse_mountinfo_line, the octal
 * unescaping and parse_has_word).  The first byte picks the cgroup2
 * controllers line: none, with memory, without memory. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/layout.h"
#include "sample/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ctl[] = { NULL, "cpuset cpu io memory pids\n", "hugetlb\n" };
    CgLayout lay;
    char out[64];

    if (size == 0)
        return 0;
    const char *controllers = ctl[data[0] % 3];
    data++;
    size--;
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    MtLayoutStatus st = layout_from_mountinfo(buf, size, controllers, &lay);
    if (st == MT_LAYOUT_OK && (strnlen(lay.memroot, sizeof(lay.memroot)) == sizeof(lay.memroot)))
        abort();
    (void)layout_status_message(st);
    /* The unescaper alone, into a small buffer. */
    int n = parse_unescape_octal(buf, size, out, sizeof(out));
    if (n >= (int)sizeof(out) || (n >= 0 && out[n] != '\0'))
        abort();
    free(buf);
    return 0;
}
