/* parse.h - pure parsers for cgroupfs and procfs text.  No I/O, no
 * allocation, no global state: every function works on a caller buffer and
 * writes its out-parameters only on success, so all of them can be fuzzed.
 * Buffers need not be NUL-terminated; their length is passed explicitly. */
#ifndef MEMTOP_PARSE_H
#define MEMTOP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Values above this are "unlimited" (the rule kubelet and cAdvisor use). */
#define MT_UNLIMITED_THRESHOLD (UINT64_C(1) << 62)

/* Parse a single-value file: "<u64>\n" or "max\n".  "max", values above
 * 2^62 and the 32-bit PAGE_COUNTER_MAX sentinel (0x7fffffff pages) become
 * MT_UNLIMITED when as_limit is true.  Returns 0 or -EINVAL. */
int parse_value(const char *buf, size_t len, bool as_limit, uint64_t *out);

/* Decimal u64 at *p (no sign, no spaces); advances *p.  Returns 0, -EINVAL
 * (no digits) or -ERANGE (overflow). */
int parse_u64(const char **p, const char *end, uint64_t *out);

/* One key of a flat keyed file ("key value\n") to look for.  Keys must be
 * sorted by strcmp() order in the array passed to parse_keyed(). */
typedef struct {
    const char *key;
    int slot;               /* index into the caller's value array */
} KeySlot;

/* Parse a flat keyed file.  For every line whose key is in map, store the
 * value in vals[slot] and set bit slot in *found (slots must be < 64).
 * Unknown keys, blank lines and malformed lines are skipped; the last
 * occurrence of a duplicated key wins.  Returns the number of keys stored. */
int parse_keyed(const char *buf, size_t len, const KeySlot *map, size_t nmap,
                uint64_t *vals, uint64_t *found);

/* memory.pressure / /proc/pressure/memory.  avg values are stored as
 * percent * 100 (rounded), totals in microseconds. */
typedef struct {
    uint64_t some_avg[3];   /* avg10, avg60, avg300 */
    uint64_t some_total;
    uint64_t full_avg[3];
    uint64_t full_total;
    bool has_some, has_full;
} PsiValues;

/* Returns 0 when at least the "some" line parsed, else -EINVAL. */
int parse_psi(const char *buf, size_t len, PsiValues *out);

/* /proc/meminfo values we use, in bytes. */
typedef struct {
    uint64_t mem_total, mem_free, mem_available, buffers, cached, shmem;
    uint64_t active_file, inactive_file, swap_total, swap_free;
    uint32_t found;         /* bit i: field i (in the order above) present */
} MemInfo;

#define MEMINFO_NFIELDS 10
int parse_meminfo(const char *buf, size_t len, MemInfo *out);

/* Decode the octal escapes (\040 \011 \012 \134) mountinfo and
 * /proc/self/cgroup use for space, tab, newline and backslash.  Writes a
 * NUL-terminated string of at most outlen-1 bytes; returns its length or
 * -ENAMETOOLONG. */
int parse_unescape_octal(const char *s, size_t len, char *out, size_t outlen);

/* One line of /proc/self/mountinfo, split into the fields memtop needs.
 * Pointers point into the caller's buffer (not NUL-terminated: use the
 * lengths); root and mountpoint are still octal-escaped. */
typedef struct {
    const char *root;       size_t root_len;
    const char *mountpoint; size_t mountpoint_len;
    const char *fstype;     size_t fstype_len;
    const char *superopts;  size_t superopts_len;
} MountLine;

/* Parse the line starting at *p (up to end or '\n'); advances *p past the
 * newline.  Returns 0 on success, -EINVAL for a malformed line (still
 * advanced), -ENOENT at end of input. */
int parse_mountinfo_line(const char **p, const char *end, MountLine *out);

/* true when the comma separated list opts contains word exactly. */
bool parse_has_word(const char *opts, size_t len, const char *word, char sep);

#endif
