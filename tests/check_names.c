/* check_names.c - runtime JSON parsers, kubelet log names, formatting. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "forensics/names.h"

#define S(x) x, strlen(x)
#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static NameInfo zero(void)
{
    NameInfo n;
    memset(&n, 0, sizeof(n));
    return n;
}

START_TEST(test_docker)
{
    NameInfo n = zero();
    ck_assert_int_eq(names_parse_docker_config(S("{\"ID\":\"x\",\"Name\":\"/web-1\"}"), &n), 0);
    ck_assert_str_eq(n.name, "web-1");
    ck_assert_str_eq(n.source, "docker");
    n = zero();
    ck_assert_int_eq(names_parse_docker_config(S("{\"Name\":\"/\"}"), &n), -1);
    ck_assert_int_eq(names_parse_docker_config(S("{\"Name\":42}"), &n), -1);
    ck_assert_int_eq(names_parse_docker_config(S("{\"Name\":\"/x\""), &n), -1);  /* truncated */
    ck_assert_int_eq(names_parse_docker_config(S("[]"), &n), -1);
    ck_assert_int_eq(names_parse_docker_config(S(""), &n), -1);
    ck_assert_int_eq(names_parse_docker_config(S("{\"Name\":\"/a\"} trailing"), &n), 0);
    /* embedded NUL ends the name */
    ck_assert_int_eq(names_parse_docker_config(S("{\"Name\":\"/ab\\u0000cd\"}"), &n), 0);
    ck_assert_str_eq(n.name, "ab");
}
END_TEST

START_TEST(test_oci_containerd_and_crio)
{
    NameInfo n = zero();
    const char *ctrd = "{\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
                       "\"io.kubernetes.cri.container-name\":\"nginx\","
                       "\"io.kubernetes.cri.sandbox-name\":\"web\","
                       "\"io.kubernetes.cri.sandbox-namespace\":\"prod\","
                       "\"io.kubernetes.cri.sandbox-uid\":\"u-1\"}}";
    ck_assert_int_eq(names_parse_oci_config(S(ctrd), &n), 0);
    ck_assert_str_eq(n.container_name, "nginx");
    ck_assert_str_eq(n.pod_name, "web");
    ck_assert_str_eq(n.pod_namespace, "prod");
    ck_assert_str_eq(n.pod_uid, "u-1");
    ck_assert_str_eq(n.container_type, "container");
    ck_assert_str_eq(n.source, "containerd");

    n = zero();
    const char *crio = "{\"annotations\":{\"io.kubernetes.container.name\":\"redis\","
                       "\"io.kubernetes.pod.name\":\"cache-0\","
                       "\"io.kubernetes.pod.namespace\":\"data\","
                       "\"io.kubernetes.cri-o.ContainerType\":\"sandbox\"}}";
    ck_assert_int_eq(names_parse_oci_config(S(crio), &n), 0);
    ck_assert_str_eq(n.pod_name, "cache-0");
    ck_assert_str_eq(n.container_type, "sandbox");
    ck_assert_str_eq(n.source, "cri-o");

    n = zero();
    ck_assert_int_eq(names_parse_oci_config(S("{\"annotations\":{\"nerdctl/name\":\"n1\"}}"), &n),
                     0);
    ck_assert_str_eq(n.name, "n1");
    ck_assert_int_eq(names_parse_oci_config(S("{\"annotations\":{}}"), &n), -1);
    ck_assert_int_eq(names_parse_oci_config(S("{\"annotations\":[1]}"), &n), -1);
    ck_assert_int_eq(names_parse_oci_config(S("{\"process\":{}}"), &n), -1);
    ck_assert_int_eq(names_parse_oci_config(S("{\"annotations\":{\"io.kub"), &n), -1);
}
END_TEST

START_TEST(test_storage_list)
{
    NameInfo n = zero();
    const char *j = "[{\"id\":\"a\",\"names\":[\"first\"]},{\"id\":\"b\",\"names\":[]},"
                    "{\"id\":\"c\",\"names\":[\"x\",\"y\"]}]";
    ck_assert_int_eq(names_parse_storage_list(S(j), "c", &n), 0);
    ck_assert_str_eq(n.name, "x");
    ck_assert_int_eq(names_parse_storage_list(S(j), "b", &n), -1);
    ck_assert_int_eq(names_parse_storage_list(S(j), "zz", &n), -1);
    ck_assert_int_eq(names_parse_storage_list(S("{}"), "a", &n), -1);
    ck_assert_int_eq(names_parse_storage_list(S("[{\"id\":1}]"), "a", &n), -1);
}
END_TEST

START_TEST(test_pod_dir)
{
    NameInfo n = zero();
    ck_assert_int_eq(names_parse_pod_dir("kube-system_coredns-5d78c9869d-abcde_3f2b0c1e-6d7a-4a8e-"
                                         "9c1b-2f4e6a8b0c12", &n), 0);
    ck_assert_str_eq(n.pod_namespace, "kube-system");
    ck_assert_str_eq(n.pod_name, "coredns-5d78c9869d-abcde");
    ck_assert_str_eq(n.pod_uid, "3f2b0c1e-6d7a-4a8e-9c1b-2f4e6a8b0c12");
    ck_assert_int_eq(names_parse_pod_dir("a_b", &n), -1);
    ck_assert_int_eq(names_parse_pod_dir("a_b_c_d", &n), -1);
    ck_assert_int_eq(names_parse_pod_dir("_b_c", &n), -1);
    ck_assert_int_eq(names_parse_pod_dir("a_b_", &n), -1);
    ck_assert_int_eq(names_parse_pod_dir("a\x1b_b_c", &n), -1);
}
END_TEST

START_TEST(test_container_log)
{
    NameInfo n = zero();
    char id[80];
    ck_assert_int_eq(names_parse_container_log("job-x1_batch_worker-" HEX64 ".log", id, sizeof(id),
                                               &n), 0);
    ck_assert_str_eq(id, HEX64);
    ck_assert_str_eq(n.pod_name, "job-x1");
    ck_assert_str_eq(n.pod_namespace, "batch");
    ck_assert_str_eq(n.container_name, "worker");
    ck_assert_int_eq(names_parse_container_log("a_b_c-" HEX64 ".txt", id, sizeof(id), &n), -1);
    ck_assert_int_eq(names_parse_container_log("a_b_c" HEX64 ".log", id, sizeof(id), &n), -1);
    ck_assert_int_eq(names_parse_container_log("a_b-" HEX64 ".log", id, sizeof(id), &n), -1);
    ck_assert_int_eq(names_parse_container_log("x.log", id, sizeof(id), &n), -1);
}
END_TEST

START_TEST(test_format)
{
    NameInfo n = zero();
    char buf[512];
    snprintf(n.pod_namespace, sizeof(n.pod_namespace), "prod");
    snprintf(n.pod_name, sizeof(n.pod_name), "web");
    snprintf(n.container_name, sizeof(n.container_name), "nginx");
    names_format(&n, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "prod/web/nginx");
    names_format(&n, true, buf, sizeof(buf));
    ck_assert_str_eq(buf, "prod/web");
    snprintf(n.container_type, sizeof(n.container_type), "sandbox");
    names_format(&n, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "prod/web (sandbox)");
    n = zero();
    snprintf(n.name, sizeof(n.name), "bad\x1b]0;title\x07name\xff");
    names_format(&n, false, buf, sizeof(buf));
    ck_assert_ptr_null(strchr(buf, '\x1b'));
    ck_assert_ptr_null(strchr(buf, '\x07'));
    ck_assert_ptr_null(strchr(buf, '\xff'));
    n = zero();
    memset(n.name, 'a', sizeof(n.name) - 1);
    names_format(&n, false, buf, sizeof(buf));
    ck_assert_uint_le(strlen(buf), NAMES_DISPLAY_CHARS);
    ck_assert_uint_gt(strlen(buf), 10);
    n = zero();
    names_format(&n, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "");
}
END_TEST

static Suite *names_suite(void)
{
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_docker);
    tcase_add_test(tc, test_oci_containerd_and_crio);
    tcase_add_test(tc, test_storage_list);
    tcase_add_test(tc, test_pod_dir);
    tcase_add_test(tc, test_container_log);
    tcase_add_test(tc, test_format);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(names_suite)
