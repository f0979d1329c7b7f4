/* names_kubelet.c - pod and container names from the kubelet's log
 * directories (<pods_log_dir>/<ns>_<pod>_<uid>/ and the container log
 * links next to it), for pods and for containers whose runtime files
 * did not name them (see names.h). */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "forensics/names_sources.h"

/* Index the kubelet's log directories: "P:<uid>" -> namespace/pod and
 * "L:<id>" -> pod/namespace/container.  Once per generation at most. */
static void scan_kubelet_logs(Names *n)
{
    if (n->scan_gen == n->gen)
        return;
    n->scan_gen = n->gen;
    const char *dirs[2] = { n->pods_log_dir, n->ctr_log_dir };
    for (int k = 0; k < 2; k++) {
        DIR *d = names_open_dir(n, dirs[k]);
        if (!d)
            continue;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            NameInfo info;
            char key[NAMES_PART_MAX + 8], id[80];
            memset(&info, 0, sizeof(info));
            if (k == 0 && names_parse_pod_dir(de->d_name, &info) == 0)
                snprintf(key, sizeof(key), "P:%s", info.pod_uid);
            else if (k == 1 && names_parse_container_log(de->d_name, id, sizeof(id), &info) == 0)
                snprintf(key, sizeof(key), "L:%s", id);
            else
                continue;
            NameSlot *s = names_slot_get(n, key, NULL);
            s->info = info;
            s->found = true;
        }
        closedir(d);
    }
}

/* Fill the k8s parts still missing from the kubelet's log layout. */
void names_from_kubelet(Names *n, const CgEntry *e, NameInfo *out)
{
    char key[NAMES_PART_MAX + 8];

    scan_kubelet_logs(n);
    snprintf(key, sizeof(key), "L:%s", e->cls.id);
    NameSlot *s = e->cls.id[0] ? names_slot_find(n, key) : NULL;
    if (s && s->found) {
        if (!out->container_name[0])
            snprintf(out->container_name, sizeof(out->container_name), "%s",
                     s->info.container_name);
        if (!out->pod_name[0]) {
            snprintf(out->pod_name, sizeof(out->pod_name), "%s", s->info.pod_name);
            snprintf(out->pod_namespace, sizeof(out->pod_namespace), "%s",
                     s->info.pod_namespace);
        }
        if (!out->source)
            out->source = s->info.source;
    }
    snprintf(key, sizeof(key), "P:%s", e->cls.pod_uid);
    s = e->cls.pod_uid[0] ? names_slot_find(n, key) : NULL;
    if (s && s->found && !out->pod_name[0]) {
        snprintf(out->pod_name, sizeof(out->pod_name), "%s", s->info.pod_name);
        snprintf(out->pod_namespace, sizeof(out->pod_namespace), "%s", s->info.pod_namespace);
        if (!out->source)
            out->source = s->info.source;
    }
}
