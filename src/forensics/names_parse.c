/* names_parse.c - pure parsers for the runtimes' JSON files and the
 * kubelet's log directory names (see names.h).  json-c only. */
#include "config.h"

#include "forensics/names.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "util/format.h"

/* Parse len bytes of JSON; NULL when malformed. */
static json_object *parse_json(const char *json, size_t len)
{
    if (len > (size_t)0x7fffffff)
        return NULL;
    json_tokener *tok = json_tokener_new();
    if (!tok)
        return NULL;
    json_object *o = json_tokener_parse_ex(tok, json, (int)len);
    if (!o || json_tokener_get_error(tok) != json_tokener_success) {
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}

/* Copy the string member key of obj into dst; false if absent/not a string. */
static bool get_str(json_object *obj, const char *key, char *dst, size_t dlen)
{
    json_object *v;

    if (!obj || !json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        return false;
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v);
    if (n >= dlen)
        n = dlen - 1;
    /* Keep embedded NULs out: the name ends at the first one. */
    const char *z = memchr(s, '\0', n);
    if (z)
        n = (size_t)(z - s);
    memcpy(dst, s, n);
    dst[n] = '\0';
    return n > 0;
}

int names_parse_docker_config(const char *json, size_t len, NameInfo *out)
{
    json_object *o = parse_json(json, len);
    char name[NAMES_PART_MAX];
    int r = -1;

    if (o && get_str(o, "Name", name, sizeof(name))) {
        const char *n = name[0] == '/' ? name + 1 : name;
        if (*n) {
            snprintf(out->name, sizeof(out->name), "%s", n);
            out->source = "docker";
            r = 0;
        }
    }
    json_object_put(o);
    return r;
}

int names_parse_oci_config(const char *json, size_t len, NameInfo *out)
{
    json_object *o = parse_json(json, len);
    json_object *a = NULL;
    int r = -1;

    if (!o || !json_object_object_get_ex(o, "annotations", &a) ||
        !json_object_is_type(a, json_type_object)) {
        json_object_put(o);
        return -1;
    }
    /* containerd's CRI plugin */
    if (get_str(a, "io.kubernetes.cri.sandbox-name", out->pod_name, sizeof(out->pod_name))) {
        get_str(a, "io.kubernetes.cri.sandbox-namespace", out->pod_namespace,
                sizeof(out->pod_namespace));
        get_str(a, "io.kubernetes.cri.sandbox-uid", out->pod_uid, sizeof(out->pod_uid));
        get_str(a, "io.kubernetes.cri.container-name", out->container_name,
                sizeof(out->container_name));
        get_str(a, "io.kubernetes.cri.container-type", out->container_type,
                sizeof(out->container_type));
        out->source = "containerd";
        r = 0;
    } else if (get_str(a, "io.kubernetes.pod.name", out->pod_name, sizeof(out->pod_name))) {
        /* CRI-O */
        get_str(a, "io.kubernetes.pod.namespace", out->pod_namespace, sizeof(out->pod_namespace));
        get_str(a, "io.kubernetes.pod.uid", out->pod_uid, sizeof(out->pod_uid));
        get_str(a, "io.kubernetes.container.name", out->container_name,
                sizeof(out->container_name));
        get_str(a, "io.kubernetes.cri-o.ContainerType", out->container_type,
                sizeof(out->container_type));
        out->source = "cri-o";
        r = 0;
    } else if (get_str(a, "nerdctl/name", out->name, sizeof(out->name))) {
        out->source = "nerdctl";
        r = 0;
    }
    json_object_put(o);
    return r;
}

int names_parse_storage_list(const char *json, size_t len, const char *id, NameInfo *out)
{
    json_object *o = parse_json(json, len);
    int r = -1;

    if (!o || !json_object_is_type(o, json_type_array)) {
        json_object_put(o);
        return -1;
    }
    size_t n = json_object_array_length(o);
    for (size_t i = 0; i < n && r < 0; i++) {
        json_object *c = json_object_array_get_idx(o, i), *names;
        char cid[80];
        if (!get_str(c, "id", cid, sizeof(cid)) || strcmp(cid, id) != 0)
            continue;
        if (json_object_object_get_ex(c, "names", &names) &&
            json_object_is_type(names, json_type_array) && json_object_array_length(names) > 0) {
            json_object *n0 = json_object_array_get_idx(names, 0);
            if (json_object_is_type(n0, json_type_string) && json_object_get_string_len(n0) > 0) {
                snprintf(out->name, sizeof(out->name), "%s", json_object_get_string(n0));
                out->source = "podman";
                r = 0;
            }
        }
        break;
    }
    json_object_put(o);
    return r;
}

/* Kubernetes names: DNS labels/subdomains, so '_' never occurs inside. */
static bool k8s_name_ok(const char *s, size_t n)
{
    if (n == 0 || n >= NAMES_PART_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '-' || c == '.'))
            return false;
    }
    return true;
}

int names_parse_pod_dir(const char *dir, NameInfo *out)
{
    const char *u1 = strchr(dir, '_');
    const char *u2 = u1 ? strchr(u1 + 1, '_') : NULL;
    if (!u1 || !u2 || strchr(u2 + 1, '_'))
        return -1;
    size_t nl = (size_t)(u1 - dir), pl = (size_t)(u2 - u1 - 1), ul = strlen(u2 + 1);
    if (!k8s_name_ok(dir, nl) || !k8s_name_ok(u1 + 1, pl) || ul == 0 ||
        ul >= sizeof(out->pod_uid))
        return -1;
    snprintf(out->pod_namespace, sizeof(out->pod_namespace), "%.*s", (int)nl, dir);
    snprintf(out->pod_name, sizeof(out->pod_name), "%.*s", (int)pl, u1 + 1);
    snprintf(out->pod_uid, sizeof(out->pod_uid), "%s", u2 + 1);
    out->source = "pods-log";
    return 0;
}

int names_parse_container_log(const char *file, char *id, size_t idlen, NameInfo *out)
{
    size_t len = strlen(file);

    /* <pod>_<ns>_<container>-<64 hex>.log */
    if (len < 4 + 65 + 5 || strcmp(file + len - 4, ".log") != 0 || idlen < 65)
        return -1;
    const char *hex = file + len - 4 - 64;
    if (hex[-1] != '-')
        return -1;
    for (int i = 0; i < 64; i++)
        if (!isxdigit((unsigned char)hex[i]) || isupper((unsigned char)hex[i]))
            return -1;
    const char *u1 = strchr(file, '_');
    const char *u2 = u1 ? strchr(u1 + 1, '_') : NULL;
    if (!u1 || !u2 || u2 >= hex - 1)
        return -1;
    size_t pl = (size_t)(u1 - file), nl = (size_t)(u2 - u1 - 1);
    size_t cl = (size_t)(hex - 1 - u2 - 1);
    if (!k8s_name_ok(file, pl) || !k8s_name_ok(u1 + 1, nl) || !k8s_name_ok(u2 + 1, cl))
        return -1;
    memcpy(id, hex, 64);
    id[64] = '\0';
    snprintf(out->pod_name, sizeof(out->pod_name), "%.*s", (int)pl, file);
    snprintf(out->pod_namespace, sizeof(out->pod_namespace), "%.*s", (int)nl, u1 + 1);
    snprintf(out->container_name, sizeof(out->container_name), "%.*s", (int)cl, u2 + 1);
    out->source = "pods-log";
    return 0;
}

void names_format(const NameInfo *info, bool is_pod, char *buf, size_t len)
{
    char tmp[4 * NAMES_PART_MAX];
    bool k8s = info->pod_name[0] != '\0';

    tmp[0] = '\0';
    if (k8s && is_pod) {
        snprintf(tmp, sizeof(tmp), "%s%s%s", info->pod_namespace,
                 info->pod_namespace[0] ? "/" : "", info->pod_name);
    } else if (k8s && strcmp(info->container_type, "sandbox") == 0) {
        snprintf(tmp, sizeof(tmp), "%s%s%s (sandbox)", info->pod_namespace,
                 info->pod_namespace[0] ? "/" : "", info->pod_name);
    } else if (k8s && info->container_name[0]) {
        snprintf(tmp, sizeof(tmp), "%s%s%s/%s", info->pod_namespace,
                 info->pod_namespace[0] ? "/" : "", info->pod_name, info->container_name);
    } else if (!is_pod && info->name[0]) {
        snprintf(tmp, sizeof(tmp), "%s", info->name);
    }
    sanitize_text(buf, len, tmp, strlen(tmp), NAMES_DISPLAY_CHARS, true);
}
