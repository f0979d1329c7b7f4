/* format.h - text helpers shared by every view: IEC sizes, rates, and the
 * sanitizer that every string from the system passes through before it is
 * shown (cgroup directory names, container and process names). */
#ifndef MEMTOP_FORMAT_H
#define MEMTOP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "512B", "1.5K", "12.0M", "3.25G" ... fitting in 6 columns; "-" if !valid;
 * "max" for UINT64_MAX (the sample layer's MT_UNLIMITED).  Returns buf. */
char *fmt_bytes(char *buf, size_t len, uint64_t bytes, bool valid);
/* Rate per second: "0", "12", "1.2k", "3.4M"; "-" when NaN. */
char *fmt_rate(char *buf, size_t len, double per_s);
/* Percentage with one decimal ("87.5"), "-" when NaN. */
char *fmt_pct(char *buf, size_t len, double pct);
/* "< 1 min", "~N min", "~N h", or "—"/"-" (ascii) when invalid. */
char *fmt_eta(char *buf, size_t len, double seconds, bool ascii);

/* Copy src into dst (size dstlen, always NUL-terminated) making it safe for
 * a terminal: control characters (C0, DEL, C1) become '?', escape
 * sequences lose their ESC, invalid UTF-8 bytes become '?' (or U+FFFD when
 * utf8_out).  At most max_chars characters are kept (0 = no limit).
 * Returns the number of display characters written. */
size_t sanitize_text(char *dst, size_t dstlen, const char *src, size_t srclen,
                     size_t max_chars, bool utf8_out);

/* Decode one UTF-8 sequence at s (n bytes available); returns its length
 * (1..4) and the code point, or 0 when invalid. */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
