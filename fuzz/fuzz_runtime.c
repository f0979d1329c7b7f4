/* fuzz_runtime.c - libFuzzer target: the container runtimes' files memtop
 * reads names from (src/forensics/names_parse.c): Docker config.v2.json, OCI
 * config.json annotations of containerd's CRI plugin and CRI-O, podman's
 * containers/storage containers.json, and the kubelet's /var/log/pods and
 * /var/log/containers entry names.
 *
 * Input: "ID\nJSON" when a newline comes within the first 80 bytes (ID is
 * the container id looked up in containers.json), else JSON alone with a
 * fixed id.  Every parser gets the same bytes; the whole input, cut at its
 * first NUL, is also tried as a pod directory and a log file name.  Every
 * field must stay NUL-terminated, and the display name built from the
 * result must be clean (no control bytes, valid UTF-8). */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz_clean.h"
#include "forensics/names.h"

static void check_info(const NameInfo *ni)
{
    char disp[512];

    fuzz_check_terminated(ni->name, sizeof(ni->name));
    fuzz_check_terminated(ni->pod_name, sizeof(ni->pod_name));
    fuzz_check_terminated(ni->pod_namespace, sizeof(ni->pod_namespace));
    fuzz_check_terminated(ni->pod_uid, sizeof(ni->pod_uid));
    fuzz_check_terminated(ni->container_name, sizeof(ni->container_name));
    fuzz_check_terminated(ni->container_type, sizeof(ni->container_type));
    for (int pod = 0; pod < 2; pod++) {
        names_format(ni, pod, disp, sizeof(disp));
        fuzz_check_clean(disp, sizeof(disp));
    }
    names_format(ni, false, disp, 8);           /* a tiny buffer truncates cleanly */
    fuzz_check_clean(disp, 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    char id[81] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char text[4096], logid[80];
    const char *json = in;
    size_t jlen = size;
    NameInfo ni;

    const char *nl = memchr(in, '\n', size < 80 ? size : 80);
    if (nl) {
        memcpy(id, in, (size_t)(nl - in));
        id[nl - in] = '\0';
        json = nl + 1;
        jlen = size - (size_t)(nl - in) - 1;
    }
    memset(&ni, 0, sizeof(ni));
    names_parse_docker_config(json, jlen, &ni);
    check_info(&ni);
    memset(&ni, 0, sizeof(ni));
    names_parse_oci_config(json, jlen, &ni);
    check_info(&ni);
    memset(&ni, 0, sizeof(ni));
    names_parse_storage_list(json, jlen, id, &ni);
    check_info(&ni);

    size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
    memcpy(text, in, n);
    text[n] = '\0';
    memset(&ni, 0, sizeof(ni));
    names_parse_pod_dir(text, &ni);
    check_info(&ni);
    memset(&ni, 0, sizeof(ni));
    if (names_parse_container_log(text, logid, sizeof(logid), &ni) == 0 &&
        fuzz_check_terminated(logid, sizeof(logid)) != 64)
        abort();
    check_info(&ni);
    return 0;
}
