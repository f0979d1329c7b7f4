/* json.h - NDJSON output: one object per tick (schema in README.md).
 * Sizes in bytes, rates per second, null for unknown values; "limit" null
 * means unlimited. */
#ifndef MEMTOP_OUT_JSON_H
#define MEMTOP_OUT_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "output/columns.h"
#include "sample/model.h"

/* A hook later layers use to add fields to each cgroup object. */
typedef void (*JsonCgroupHook)(json_object *obj, const Model *m, const CgEntry *e, void *ctx);

/* The JSON object of one cgroup (caller owns it). */
json_object *json_cgroup(const Model *m, const CgEntry *e);
/* The object of one tick; listed entries are those listing_wants(show). */
json_object *json_tick(const Model *m, MtShow show, MtColumn sort, bool reverse,
                       JsonCgroupHook hook, void *ctx);
/* json_tick serialized as one line; returns 0 or -errno. */
int out_json_write(FILE *f, const Model *m, MtShow show, MtColumn sort, bool reverse,
                   JsonCgroupHook hook, void *ctx);
/* Make a string JSON-safe: invalid UTF-8 -> U+FFFD, DEL and C1 -> '?'.
 * (json-c escapes C0 controls itself.) */
json_object *json_safe_string(const char *s);

#endif
