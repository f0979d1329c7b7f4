/* names_sources.h - what names.c shares with its sources: the cache and
 * the lookups in the container runtimes' files (names_runtimes.c) and the
 * kubelet's log directories (names_kubelet.c).  Internal to the names
 * module; everyone else uses names.h. */
#ifndef MEMTOP_NAMES_SOURCES_H
#define MEMTOP_NAMES_SOURCES_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forensics/machines.h"
#include "forensics/names.h"

#define NAMES_BUCKETS 512

typedef struct NameSlot {
    char *key;                  /* "c:<id>", "p:<uid>" resolutions; "L:<id>", "P:<uid>" scans */
    NameInfo info;
    bool found;
    uint64_t tried_gen;         /* n->gen of the last attempt */
    struct NameSlot *next;
} NameSlot;

struct Names {
    int rootfd;
    char *docker_root, *containerd_state, *crio_state, *crio_run, *pods_log_dir, *ctr_log_dir;
    NameSlot *buckets[NAMES_BUCKETS];
    uint64_t gen;               /* bumped whenever a new container or pod shows up */
    uint64_t scan_gen;          /* gen of the last kubelet log directory scan (0: never) */
    /* Which runtime state directories exist, and podman's container list,
     * looked at once per generation rather than once per container: a node
     * without (readable) runtime state would otherwise cost every
     * unresolved container several failed lookups whenever one appears. */
    uint64_t probe_gen;
    bool have_docker, have_containerd[2], have_crio[2];
    char *podman_list;          /* containers.json, NULL if absent */
    size_t podman_len;
    Machines *machines;         /* systemd-machined, NULL with no_bus */
};

/* The cache (names.c): the slot of key, NULL if none; or a new one
 * (*created, when not NULL, says which). */
NameSlot *names_slot_find(const Names *n, const char *key);
NameSlot *names_slot_get(Names *n, const char *key, bool *created);

/* Directory rel below the root for readdir(), or NULL. */
DIR *names_open_dir(const Names *n, const char *rel);

/* Which runtime state directories exist, and podman's container list:
 * looked at once per generation (names_runtimes.c). */
void names_probe_runtimes(Names *n);
/* The runtimes' files for container id: true when out got something. */
bool names_from_docker(Names *n, const char *id, NameInfo *out);
bool names_from_containerd(Names *n, const char *id, NameInfo *out);
bool names_from_crio(Names *n, const char *id, NameInfo *out);
bool names_from_podman(Names *n, const char *id, NameInfo *out);

/* Fill the k8s parts of out still missing from the kubelet's log layout
 * (names_kubelet.c). */
void names_from_kubelet(Names *n, const CgEntry *e, NameInfo *out);

#endif
