/* fuzz_value.c - libFuzzer target: single-value files (parse_value), as a
 * plain value and as a limit ("max", > 2^62 and the page-counter sentinel
 * become MT_UNLIMITED). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/fields.h"
#include "sample/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t v = 0, l = 0;
    char *buf = malloc(size ? size : 1);

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    int a = parse_value(buf, size, false, &v);
    int b = parse_value(buf, size, true, &l);
    /* A limit never parses where the plain value fails, except for "max". */
    if (a == 0 && b != 0)
        abort();
    if (b == 0 && l > MT_UNLIMITED_THRESHOLD && l != MT_UNLIMITED)
        abort();
    free(buf);
    return 0;
}
