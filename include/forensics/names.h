/* names.h - display names for containers and pods, read from the container
 * runtimes' own files (no daemon is asked; everything is best effort).
 *
 * Sources, all relative to --root and configurable (NamesOptions):
 *   Docker      <docker_root>/containers/<id>/config.v2.json: "Name" ("/web-1")
 *   containerd  <containerd_state>/io.containerd.runtime.v2.task/<ns>/<id>/config.json:
 *               OCI annotations io.kubernetes.cri.{container-name,sandbox-name,
 *               sandbox-namespace,sandbox-uid,container-type}, nerdctl/name
 *   CRI-O       <crio_state>/overlay-containers/<id>/userdata/config.json:
 *               io.kubernetes.{container.name,pod.name,pod.namespace,pod.uid},
 *               io.kubernetes.cri-o.ContainerType
 *   podman      <crio_state>/overlay-containers/containers.json: "names"
 *   kubelet     <pods_log_dir>/<namespace>_<pod>_<uid>/<container>/ (pod UID ->
 *               namespace/name) and ../containers/<pod>_<ns>_<container>-<id>.log
 *   LXC, nspawn the name is the cgroup's own (lxc.payload.NAME, machine-NAME.scope)
 *   machined    the system bus (machines.h): a cgroup named like a registered
 *               machine's unit gets the machine's name (source "machined");
 *               runtime files win over it, it wins over the cgroup's name
 *   units       systemd escapes ("\x2d") decoded
 *
 * Results are cached per container id / pod UID.  A lookup that found
 * nothing is retried only when a new container appears.  A missing,
 * unreadable or malformed file only means "no name": the entry keeps its
 * runtime:short-id label.  Every name is sanitized and capped before it is
 * stored. */
#ifndef MEMTOP_NAMES_H
#define MEMTOP_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "sample/cgtable.h"

#define NAMES_PART_MAX 256          /* bytes of one part (k8s names are <= 253) */
#define NAMES_DISPLAY_CHARS 120     /* display name cap, in characters */

typedef struct {
    const char *docker_root;        /* default "var/lib/docker" */
    const char *containerd_state;   /* default "run/containerd" */
    const char *crio_state;         /* default "var/lib/containers/storage" */
    const char *pods_log_dir;       /* default "var/log/pods" */
    bool no_bus;                    /* do not ask systemd-machined (--no-bus) */
    const char *bus_address;        /* --bus-address, or NULL (machines.h) */
} NamesOptions;

void names_options_default(NamesOptions *o);

typedef struct {
    char name[NAMES_PART_MAX];      /* runtime name (docker/podman/lxc/machine) */
    char pod_name[NAMES_PART_MAX];
    char pod_namespace[NAMES_PART_MAX];
    char pod_uid[64];
    char container_name[NAMES_PART_MAX];
    char container_type[16];        /* "sandbox", "container" or "" */
    char machine_class[16];         /* machined: "vm", "container"; else "" */
    char machine_service[64];       /* machined: "libvirt-qemu", "nspawn", ... */
    const char *source;             /* "docker", "containerd", "cri-o", ... or NULL */
} NameInfo;

typedef struct Names Names;

/* rootfd stays owned by the caller.  Paths in o are relative to it (a
 * leading '/' is ignored); the strings are copied. */
Names *names_new(int rootfd, const NamesOptions *o);
void names_free(Names *n);

/* Give entries of t without a display name one, when a source knows it.
 * Asks machined (at most once per new container, waiting at most 100 ms)
 * unless NamesOptions.no_bus. */
void names_update(Names *n, CgTable *t);
/* What is known about an entry's container or pod; NULL if nothing. */
const NameInfo *names_get(const Names *n, const CgEntry *e);

/* Pure parsers (also used by the tests).  0 when something was found. */
int names_parse_docker_config(const char *json, size_t len, NameInfo *out);
int names_parse_oci_config(const char *json, size_t len, NameInfo *out);
/* containers/storage containers.json: the first name of container id. */
int names_parse_storage_list(const char *json, size_t len, const char *id, NameInfo *out);
/* "<ns>_<pod>_<uid>" (a /var/log/pods entry); 0 when well formed. */
int names_parse_pod_dir(const char *dir, NameInfo *out);
/* "<pod>_<ns>_<container>-<64hex>.log" (a /var/log/containers entry). */
int names_parse_container_log(const char *file, char *id, size_t idlen, NameInfo *out);
/* Display name for info of an entry of the given kind ("ns/pod/container",
 * "ns/pod", "web-1"), sanitized and capped; "" when info says nothing. */
void names_format(const NameInfo *info, bool is_pod, char *buf, size_t len);

#endif
