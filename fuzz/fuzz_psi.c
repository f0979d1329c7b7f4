/* fuzz_psi.c - libFuzzer target: memory.pressure (parse_psi).  avg values
 * are percent*100 and a successful parse must have the "some" line. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PsiValues p;
    char *buf = malloc(size ? size : 1);

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    if (parse_psi(buf, size, &p) == 0) {
        if (!p.has_some)
            abort();
        for (int i = 0; i < 3; i++)
            if (p.some_avg[i] > 100000 * 100 + 99 || (p.has_full && p.full_avg[i] > 100000 * 100 + 99))
                abort();
    }
    free(buf);
    return 0;
}
