/* carryover.c - values a read takes over from the previous sample instead
 * of reading them again (see carryover.h and reader.h). */
#include "config.h"

#include "sample/carryover.h"

/* A skipped file keeps the values it gave last time. */
static void carry_over(const FileDesc *d, const CgroupSample *prev, CgroupSample *s)
{
    if (d->kind == P_VALUE || d->kind == P_LIMIT) {
        if (sample_has(prev, (MtField)d->field) && !sample_has(s, (MtField)d->field))
            sample_set(s, (MtField)d->field, prev->v[d->field]);
        return;
    }
    for (size_t k = 0; k < d->nmap; k++) {
        int f = d->map[k].slot;
        if (f < MT_F_COUNT && sample_has(prev, (MtField)f) && !sample_has(s, (MtField)f))
            sample_set(s, (MtField)f, prev->v[f]);
    }
}

/* May the composition files be carried over?  Only when they were read
 * before, the carry budget is not spent, the usage was read now, and every
 * value read this time equals last time's (usage, events, failcnt, PSI,
 * limits): nothing was charged or uncharged at the page counter, no limit
 * was hit, no pressure.  Changes that can hide from all of these (pages
 * moving between LRU lists, faults on pages already charged, charges
 * served from the kernel's per-CPU stock of up to 64 pages) are picked up
 * within carry_max ticks. */
bool carry_composition(const Reader *rd, const CgFiles *f, const ReadState *st,
                       const CgroupSample *prev)
{
    if (rd->carry_max <= 0 || !f->composition_read || f->carried_ticks >= rd->carry_max ||
        !(st->found & MT_BIT(MT_F_USAGE)))
        return false;
    for (int fi = 0; fi < MT_F_COUNT; fi++)
        if ((st->found & MT_BIT(fi)) &&
            (!sample_has(prev, (MtField)fi) || prev->v[fi] != st->vals[fi]))
            return false;
    return true;
}

void carry_count(Reader *rd, CgFiles *f, bool carried)
{
    if (carried) {
        f->carried_ticks++;
    } else if (!f->composition_read) {
        /* Spread the cgroups' forced re-reads over the carry_max + 1
         * ticks instead of doing them all on the same tick. */
        f->composition_read = true;
        f->carried_ticks = (uint8_t)(rd->carry_phase++ % (unsigned)(rd->carry_max + 1));
    } else {
        f->carried_ticks = 0;
    }
}

void carry_skipped(const FileDesc *files, size_t nfiles, const ReadState *st, bool slow,
                   const CgroupSample *prev, CgroupSample *s)
{
    for (size_t i = 0; i < nfiles; i++) {
        if (!(st->skipped & (1u << i)))
            continue;
        if (files[i].when == W_PEAK) {
            carry_over(&files[i], prev, s);
            MtField pk = (MtField)files[i].field;
            if (sample_has(s, pk) && sample_has(s, MT_F_USAGE) && s->v[MT_F_USAGE] > s->v[pk])
                sample_set(s, pk, s->v[MT_F_USAGE]);
        } else if (files[i].when == W_MEMSW) {
            /* No swap: memsw = mem, where the cgroup has memsw accounting
             * (its memsw limit file, or memsw usage last time). */
            bool memsw = sample_has(prev, MT_F_MEMSW_USAGE) ||
                         (st->found & MT_BIT(MT_F_SWAP_LIMIT_OWN)) ||
                         (!slow && sample_has(prev, MT_F_SWAP_LIMIT_OWN));
            if (memsw && sample_has(s, MT_F_USAGE))
                sample_set(s, MT_F_MEMSW_USAGE, s->v[MT_F_USAGE]);
        }
        else
            carry_over(&files[i], prev, s);
    }
}

void carry_config(const FileDesc *files, size_t nfiles, const CgroupSample *prev,
                  CgroupSample *s)
{
    for (size_t i = 0; i < nfiles; i++) {
        const FileDesc *d = &files[i];
        if (d->slow && (d->kind == P_VALUE || d->kind == P_LIMIT) &&
            sample_has(prev, (MtField)d->field) && !sample_has(s, (MtField)d->field))
            sample_set(s, (MtField)d->field, prev->v[d->field]);
    }
}
