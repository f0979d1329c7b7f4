/* argnum.h - numbers given on the command line, checked strictly: the
 * whole string is the number (no trailing text, no overflow) and it lies
 * in [min, max].  Each returns 0 and sets *out, or -1 and leaves it. */
#ifndef MEMTOP_ARGNUM_H
#define MEMTOP_ARGNUM_H

#include <stdint.h>

/* A decimal integer. */
int argnum_long(const char *s, long min, long max, long *out);
/* A finite decimal number (strtod syntax). */
int argnum_double(const char *s, double min, double max, double *out);
/* Bytes with an optional K/M/G/T/P suffix (powers of 1024), optionally
 * followed by "i", "B" or "iB"; no sign. */
int argnum_size(const char *s, uint64_t *out);

#endif
