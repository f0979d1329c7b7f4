/* entry_label.c - the names of cgroups in output and sentences. */
#include "config.h"

#include "sample/entry_label.h"

#include <stdio.h>
#include <string.h>

#include "sample/classify.h"
#include "util/format.h"

char *entry_label(const CgEntry *e, char *buf, size_t len, bool utf8)
{
    char tmp[512];
    const CgClass *c = &e->cls;

    if (e->display_name) {
        snprintf(tmp, sizeof(tmp), "%s", e->display_name);
    } else if ((c->kind == MT_KIND_CONTAINER || c->kind == MT_KIND_HELPER) && c->id[0] &&
               c->sub != MT_SUB_INSIDE) {
        const char *rt = classify_runtime_name(c->runtime);
        bool hex = strlen(c->id) == 64;
        snprintf(tmp, sizeof(tmp), "%s%s%s:%.*s", c->kind == MT_KIND_HELPER ? "helper/" : "",
                 rt ? rt : "container", c->sub == MT_SUB_SANDBOX ? "-sandbox" : "",
                 hex ? 12 : (int)strlen(c->id), c->id);
    } else if (c->kind == MT_KIND_POD && c->pod_uid[0]) {
        snprintf(tmp, sizeof(tmp), "pod:%.8s", c->pod_uid);
    } else if (e->parent == NULL) {
        snprintf(tmp, sizeof(tmp), "/");
    } else {
        snprintf(tmp, sizeof(tmp), "%s", e->name);
    }
    sanitize_text(buf, len, tmp, strlen(tmp), 0, utf8);
    return buf;
}

/* "this container", "pod <uid>", "slice <name>", or the path. */
void entry_binding_label(const CgEntry *self, const CgEntry *b, char *buf, size_t len)
{
    char label[256];

    if (b == self)
        snprintf(buf, len, "this cgroup");
    else if (b->cls.kind == MT_KIND_POD && !b->display_name && b->cls.pod_uid[0])
        snprintf(buf, len, "pod %s", b->cls.pod_uid);
    else if (b->cls.kind == MT_KIND_POD)
        snprintf(buf, len, "pod %s", entry_label(b, label, sizeof(label), true));
    else if (b->cls.kind == MT_KIND_SLICE)
        snprintf(buf, len, "slice %s", b->name);
    else
        snprintf(buf, len, "%s", b->path);
}
