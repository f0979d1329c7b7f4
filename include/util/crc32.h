/* crc32.h - CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, the one
 * of zlib, gzip and PNG), for the recorder's frame checksums. */
#ifndef MEMTOP_CRC32_H
#define MEMTOP_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: start with crc = 0; crc32_update(0, "123456789", 9) is
 * 0xCBF43926. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
