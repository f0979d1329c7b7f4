/* check_classify.c - every runtime path layout of SPEC 1.3, table-driven. */
#include "config.h"

#include "sample/classify.h"
#include "common.h"

/* Classify a full path by walking its components like discovery does. */
static void classify_path(const char *path, CgClass *out)
{
    char buf[1024], parent_name[256] = "";
    CgClass cur;
    int depth = 0;

    classify_root(&cur);
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *tok = strtok(buf, "/"); tok; tok = strtok(NULL, "/")) {
        CgClass next;
        depth++;
        classify_child(&cur, parent_name, tok, depth, &next);
        cur = next;
        snprintf(parent_name, sizeof(parent_name), "%s", tok);
    }
    *out = cur;
}

#define H64(c) c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
               c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define ID_A H64("a")
#define ID_B H64("b")
#define UID_ "3f2b0c1e_6d7a_4a8e_9c1b_2f4e6a8b0c12"
#define UID "3f2b0c1e-6d7a-4a8e-9c1b-2f4e6a8b0c12"

static const struct {
    const char *path;
    MtKind kind;
    MtSubkind sub;
    MtRuntime rt;
    const char *id;
    const char *pod_uid;
    MtQos qos;
} cases[] = {
    { "/docker/" ID_A, MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_DOCKER, ID_A, "", MT_QOS_NONE },
    { "/system.slice/docker-" ID_A ".scope", MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_DOCKER, ID_A, "", MT_QOS_NONE },
    { "/system.slice/docker-" ID_A ".scope/init.scope", MT_KIND_SCOPE, MT_SUB_INSIDE, MT_RT_DOCKER, ID_A, "", MT_QOS_NONE },
    { "/kubepods.slice", MT_KIND_SLICE, MT_SUB_K8S_ROOT, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/kubepods.slice/kubepods-burstable.slice", MT_KIND_SLICE, MT_SUB_QOS, MT_RT_NONE, "", "", MT_QOS_BURSTABLE },
    { "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice",
      MT_KIND_POD, MT_SUB_NONE, MT_RT_NONE, "", UID, MT_QOS_BURSTABLE },
    { "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/cri-containerd-" ID_A ".scope",
      MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_CONTAINERD, ID_A, UID, MT_QOS_BURSTABLE },
    { "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/crio-" ID_A ".scope",
      MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_CRIO, ID_A, UID, MT_QOS_BESTEFFORT },
    { "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-conmon-" ID_A ".scope",
      MT_KIND_HELPER, MT_SUB_NONE, MT_RT_CRIO, ID_A, UID, MT_QOS_GUARANTEED },
    { "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID_B,
      MT_KIND_CONTAINER, MT_SUB_SANDBOX, MT_RT_CRIO, ID_B, UID, MT_QOS_GUARANTEED },
    { "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID_A ".scope/container",
      MT_KIND_CGROUP, MT_SUB_INSIDE, MT_RT_CRIO, ID_A, UID, MT_QOS_GUARANTEED },
    { "/kubepods/burstable/pod" UID "/" ID_A, MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_CRI, ID_A, UID, MT_QOS_BURSTABLE },
    { "/custom/root/kubepods/burstable/pod" UID "/" ID_A, MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_CRI, ID_A, UID, MT_QOS_BURSTABLE },
    { "/kubepods/pod" UID "/" ID_A, MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_CRI, ID_A, UID, MT_QOS_GUARANTEED },
    { "/kubepods/besteffort/pod" UID "/crio-conmon-" ID_A, MT_KIND_HELPER, MT_SUB_NONE, MT_RT_CRIO, ID_A, UID, MT_QOS_BESTEFFORT },
    { "/kubepods/besteffort/pod" UID, MT_KIND_POD, MT_SUB_NONE, MT_RT_NONE, "", UID, MT_QOS_BESTEFFORT },
    { "/kubepods/burstable", MT_KIND_CGROUP, MT_SUB_QOS, MT_RT_NONE, "", "", MT_QOS_BURSTABLE },
    { "/machine.slice/libpod-" ID_A ".scope", MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_PODMAN, ID_A, "", MT_QOS_NONE },
    { "/machine.slice/libpod-conmon-" ID_A ".scope", MT_KIND_HELPER, MT_SUB_NONE, MT_RT_PODMAN, ID_A, "", MT_QOS_NONE },
    { "/machine.slice/libpod-" ID_A ".scope/container", MT_KIND_CGROUP, MT_SUB_INSIDE, MT_RT_PODMAN, ID_A, "", MT_QOS_NONE },
    { "/libpod_parent/libpod-" ID_A, MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_PODMAN, ID_A, "", MT_QOS_NONE },
    { "/machine.slice/machine-build\\x2dbox.scope", MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_NSPAWN, "build-box", "", MT_QOS_NONE },
    { "/machine.slice/machine-build\\x2dbox.scope/payload", MT_KIND_CGROUP, MT_SUB_INSIDE, MT_RT_NSPAWN, "build-box", "", MT_QOS_NONE },
    { "/machine.slice/machine-qemu\\x2d1\\x2dwin.scope", MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_LIBVIRT, "qemu-1-win", "", MT_QOS_NONE },
    { "/system.slice/machine-notamachine.scope", MT_KIND_SCOPE, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/machine.slice/systemd-nspawn@build\\x2dbox.service", MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_NSPAWN, "build-box", "", MT_QOS_NONE },
    { "/machine.slice/systemd-nspawn@box.service/payload", MT_KIND_CGROUP, MT_SUB_INSIDE, MT_RT_NSPAWN, "box", "", MT_QOS_NONE },
    { "/system.slice/systemd-nspawn@box.service", MT_KIND_SERVICE, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/machine.slice/systemd-nspawn@.service", MT_KIND_SERVICE, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/lxc.payload.web", MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_LXC, "web", "", MT_QOS_NONE },
    { "/lxc.monitor.web", MT_KIND_HELPER, MT_SUB_NONE, MT_RT_LXC, "web", "", MT_QOS_NONE },
    { "/lxc/old1", MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_LXC, "old1", "", MT_QOS_NONE },
    { "/system.slice/nerdctl-" ID_A ".scope", MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_NERDCTL, ID_A, "", MT_QOS_NONE },
    { "/system.slice/sshd.service", MT_KIND_SERVICE, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/system.slice", MT_KIND_SLICE, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/init.scope", MT_KIND_SCOPE, MT_SUB_INIT, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/user.slice/user-1000.slice/session-3.scope", MT_KIND_SCOPE, MT_SUB_USER, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/system.slice/var-lib-docker-overlay2-" ID_A "-merged.mount", MT_KIND_CGROUP, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/some/plain/cgroup", MT_KIND_CGROUP, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/" ID_A, MT_KIND_CONTAINER, MT_SUB_NONE, MT_RT_NONE, ID_A, "", MT_QOS_NONE },
    /* near misses: wrong length or uppercase hex are not containers */
    { "/system.slice/docker-abc.scope", MT_KIND_SCOPE, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/system.slice/docker-" H64("A") ".scope", MT_KIND_SCOPE, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
    { "/podxyz", MT_KIND_CGROUP, MT_SUB_NONE, MT_RT_NONE, "", "", MT_QOS_NONE },
};

START_TEST(test_classify_table)
{
    CgClass c;
    classify_path(cases[_i].path, &c);
    ck_assert_msg(c.kind == cases[_i].kind, "%s: kind %s, want %s", cases[_i].path,
                  classify_kind_name(c.kind), classify_kind_name(cases[_i].kind));
    ck_assert_msg(c.sub == cases[_i].sub, "%s: subkind %d, want %d", cases[_i].path, c.sub,
                  cases[_i].sub);
    ck_assert_msg(c.runtime == cases[_i].rt, "%s: runtime %d, want %d", cases[_i].path,
                  c.runtime, cases[_i].rt);
    ck_assert_msg(strcmp(c.id, cases[_i].id) == 0, "%s: id '%s'", cases[_i].path, c.id);
    ck_assert_msg(strcmp(c.pod_uid, cases[_i].pod_uid) == 0, "%s: pod_uid '%s'",
                  cases[_i].path, c.pod_uid);
    ck_assert_msg(c.qos == cases[_i].qos, "%s: qos %d", cases[_i].path, c.qos);
}
END_TEST

START_TEST(test_classify_unescape)
{
    char out[64];
    ck_assert_uint_eq(classify_unescape_unit("a\\x2db\\x5cc", 11, out, sizeof(out)), 5);
    ck_assert_str_eq(out, "a-b\\c");
    ck_assert_uint_eq(classify_unescape_unit("\\x2", 3, out, sizeof(out)), 3);
    ck_assert_str_eq(out, "\\x2");
}
END_TEST

static Suite *classify_suite(void)
{
    Suite *s = suite_create("classify");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_classify_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_classify_unescape);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(classify_suite)
