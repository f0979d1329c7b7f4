/* fuzz_record.c - libFuzzer target for the recording reader: header,
 * frames, resync after damage, and replay of the decoded frames into a
 * Model (entries, tombstones, derive, history).  Must never crash, leak or
 * hang on any input.  Built and run by tests/fuzz_record.sh. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "sample/model.h"
#include "record/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Replay rp;
    Model m;
    ModelOptions mo;
    char err[256];

    model_options_default(&mo);
    mo.history = 4;
    if (replay_open_mem(&rp, data, size, &mo, &m, err, sizeof(err)) < 0)
        return 0;
    for (int i = 0; i < 100000 && replay_step(&rp) != REC_END; i++)
        ;
    replay_close(&rp);
    model_close(&m);
    return 0;
}
