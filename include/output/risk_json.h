/* risk_json.h - the OOM-risk verdict as the "risk" object of a cgroup in
 * JSON output (schema in README.md). */
#ifndef MEMTOP_RISK_JSON_H
#define MEMTOP_RISK_JSON_H

#include <json-c/json.h>

#include "sample/model.h"

/* JsonCgroupHook (output/json.h) adding the "risk" object (ctx: the
 * Analysis); null before the cgroup's first verdict. */
void analysis_json_hook(json_object *obj, const Model *m, const CgEntry *e, void *ctx);

#endif
