/* fuzz_names.c - libFuzzer target: untrusted cgroup directory names.
 * classify_child over a chain of components (the input split at '/'),
 * then sanitize_text of each name and id: the output must never contain a
 * C0/C1 control byte, DEL, or invalid UTF-8, and must be NUL-terminated
 * within the buffer. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sample/classify.h"
#include "util/format.h"
#include "fuzz_clean.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CgClass cls[9];
    char name[256], parent_name[256] = "";
    char out[1024];
    size_t pos = 0;
    int depth = 0;

    classify_root(&cls[0]);
    while (pos < size && depth < 8) {
        size_t l = 0;
        while (pos + l < size && data[pos + l] != '/' && l < 255)
            l++;
        memcpy(name, data + pos, l);
        name[l] = '\0';     /* a NUL inside ends the name, as in a real path */
        pos += l + 1;
        classify_child(&cls[depth], parent_name, name, depth + 1, &cls[depth + 1]);
        depth++;
        if (strnlen(cls[depth].id, sizeof(cls[depth].id)) == sizeof(cls[depth].id))
            abort();
        for (int utf8 = 0; utf8 < 2; utf8++) {
            sanitize_text(out, sizeof(out), name, strlen(name), 300, utf8);
            fuzz_check_clean(out, sizeof(out));
            sanitize_text(out, 16, cls[depth].id, strlen(cls[depth].id), 8, utf8);
            fuzz_check_clean(out, 16);
        }
        memcpy(parent_name, name, strlen(name) + 1);
    }
    return 0;
}
