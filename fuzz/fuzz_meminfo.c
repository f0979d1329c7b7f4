/* fuzz_meminfo.c - libFuzzer target: /proc/meminfo (parse_meminfo). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    MemInfo mi;
    char *buf = malloc(size ? size : 1);

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    if (parse_meminfo(buf, size, &mi) == 0 && !(mi.found & 1u))
        abort();        /* success requires MemTotal */
    free(buf);
    return 0;
}
