/* fuzz_events.c - libFuzzer target: memory.events / memory.swap.events /
 * v1 memory.oom_control through parse_keyed with their small key sets. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/parse.h"

static const KeySlot events[] = {
    { "high", 0 }, { "low", 1 }, { "max", 2 }, { "oom", 3 }, { "oom_group_kill", 4 },
    { "oom_kill", 5 },
};
static const KeySlot oom_control[] = {
    { "oom_kill", 0 }, { "oom_kill_disable", 1 }, { "under_oom", 2 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t vals[8];
    uint64_t found = 0;
    char *buf = malloc(size ? size : 1);

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    parse_keyed(buf, size, events, 6, vals, &found);
    if (found >> 6)
        abort();
    found = 0;
    parse_keyed(buf, size, oom_control, 3, vals, &found);
    if (found >> 3)
        abort();
    free(buf);
    return 0;
}
