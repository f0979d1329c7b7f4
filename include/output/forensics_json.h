/* forensics_json.h - what the forensics layer knows about a cgroup, as
 * fields of its JSON object: "oom_history", the names ("pod_name",
 * "namespace", "container_name", "container_type", ...) and, on request,
 * "processes" (schema in README.md). */
#ifndef MEMTOP_FORENSICS_JSON_H
#define MEMTOP_FORENSICS_JSON_H

#include <json-c/json.h>

#include "forensics/cgprocs.h"
#include "forensics/forensics.h"
#include "sample/model.h"

/* JsonCgroupHook (output/json.h) adding "oom_history", the names and, with
 * opt.processes, "processes".  ctx is the Forensics. */
void forensics_json_hook(json_object *obj, const Model *m, const CgEntry *e, void *ctx);

/* JSON array of a process list. */
json_object *forensics_json_processes(const CgProcList *l);

#endif
