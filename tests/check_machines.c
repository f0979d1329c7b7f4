/* check_machines.c - machined map: unit validation, building from the bus's
 * tuples (sanitized, deduplicated), lookup by cgroup name, bus address of a
 * root tree, and a bus that is not there. */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "forensics/machines.h"

START_TEST(test_unit_valid)
{
    ck_assert(machines_unit_valid("machine-qemu\\x2d1\\x2dvm1.scope"));
    ck_assert(machines_unit_valid("systemd-nspawn@box.service"));
    ck_assert(machines_unit_valid("libpod-0123abcd.scope"));
    ck_assert(!machines_unit_valid(""));
    ck_assert(!machines_unit_valid(NULL));
    ck_assert(!machines_unit_valid("noscope"));
    ck_assert(!machines_unit_valid(".scope"));
    ck_assert(!machines_unit_valid("a."));
    ck_assert(!machines_unit_valid("a.Scope"));
    ck_assert(!machines_unit_valid("../x.scope"));      /* '/' */
    ck_assert(!machines_unit_valid("a b.scope"));
    ck_assert(!machines_unit_valid("a\x1b[31m.scope"));
    char big[300];
    memset(big, 'a', sizeof(big));
    strcpy(big + 250, ".scope");                        /* 256 bytes: too long */
    ck_assert(!machines_unit_valid(big));
    strcpy(big + 240, ".scope");
    ck_assert(machines_unit_valid(big));
}
END_TEST

START_TEST(test_build_and_find)
{
    MachineTuple t[] = {
        { "vm1", "vm", "libvirt-qemu", "machine-qemu\\x2d1\\x2dvm1.scope" },
        { "box", "container", "nspawn", "systemd-nspawn@box.service" },
        { "evil\x1b[31m\x07", "container", "nspawn", "machine-evil.scope" },
        { "", "container", "nspawn", "machine-noname.scope" },          /* no name */
        { "bad", "container", "nspawn", "../../etc/passwd.scope" },     /* bad unit */
        { "old", "vm", "x", "machine-dup.scope" },
        { "new", "vm", "y", "machine-dup.scope" },                      /* later wins */
        { "nounit", "vm", "x", NULL },
    };
    MachineMap m;

    machine_map_init(&m);
    ck_assert_ptr_null(machine_map_find(&m, "machine-dup.scope"));
    ck_assert_uint_eq(machine_map_build(&m, t, sizeof(t) / sizeof(t[0])), 4);
    const Machine *x = machine_map_find(&m, "machine-qemu\\x2d1\\x2dvm1.scope");
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->name, "vm1");
    ck_assert_str_eq(x->cls, "vm");
    ck_assert_str_eq(x->service, "libvirt-qemu");
    x = machine_map_find(&m, "systemd-nspawn@box.service");
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->name, "box");
    x = machine_map_find(&m, "machine-evil.scope");
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_null(strchr(x->name, '\x1b'));
    ck_assert_ptr_null(strchr(x->name, '\x07'));
    ck_assert_str_eq(x->name, "evil?[31m?");
    x = machine_map_find(&m, "machine-dup.scope");
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->name, "new");
    /* exact matches only: the unescaped or a partial name is another unit */
    ck_assert_ptr_null(machine_map_find(&m, "machine-qemu-1-vm1.scope"));
    ck_assert_ptr_null(machine_map_find(&m, "machine-noname.scope"));
    ck_assert_ptr_null(machine_map_find(&m, "systemd-nspawn@box"));
    ck_assert_ptr_null(machine_map_find(&m, ""));
    /* rebuilding replaces */
    ck_assert_uint_eq(machine_map_build(&m, t, 1), 1);
    ck_assert_ptr_null(machine_map_find(&m, "systemd-nspawn@box.service"));
    ck_assert_uint_eq(machine_map_build(&m, t, 0), 0);
    ck_assert_ptr_null(machine_map_find(&m, "machine-qemu\\x2d1\\x2dvm1.scope"));
    machine_map_free(&m);
}
END_TEST

/* Many machines in reverse order: every one is found. */
START_TEST(test_build_many)
{
    enum { N = 500 };
    static char units[N][64], names[N][16];
    MachineTuple t[N];
    MachineMap m;

    for (int i = 0; i < N; i++) {
        snprintf(units[i], sizeof(units[i]), "machine-m%04d.scope", N - i);
        snprintf(names[i], sizeof(names[i]), "m%d", N - i);
        t[i] = (MachineTuple){ names[i], "container", "nspawn", units[i] };
    }
    machine_map_init(&m);
    ck_assert_uint_eq(machine_map_build(&m, t, N), N);
    for (int i = 0; i < N; i++) {
        const Machine *x = machine_map_find(&m, units[i]);
        ck_assert_ptr_nonnull(x);
        ck_assert_str_eq(x->name, names[i]);
    }
    ck_assert_ptr_null(machine_map_find(&m, "machine-m0000.scope"));
    machine_map_free(&m);
}
END_TEST

START_TEST(test_root_address)
{
    char buf[128];
    ck_assert_int_eq(machines_root_address(7, buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "unix:path=/proc/self/fd/7/run/dbus/system_bus_socket");
    ck_assert_int_eq(machines_root_address(7, buf, 20), -1);
}
END_TEST

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* No bus at the address, or none below a root tree: nothing, quickly. */
START_TEST(test_no_bus)
{
    MachinesOptions o = { -1, "unix:path=/nonexistent/memtop-test/bus", 0 };
    Machines *m = machines_new(&o);
    double t0 = mono();
    ck_assert(!machines_sync(m, 1));
    ck_assert(!machines_sync(m, 1));
    ck_assert(!machines_sync(m, 2));
    ck_assert_double_lt(mono() - t0, 0.5);
    ck_assert_uint_eq(machines_map(m)->n, 0);
    ck_assert_ptr_nonnull(machines_note(m));
    ck_assert_ptr_nonnull(strstr(machines_note(m), "no system bus"));
    machines_free(m);

    int fd = open(FIXTURES, O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(fd, 0);
    MachinesOptions r = { fd, NULL, 0 };
    unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
    m = machines_new(&r);
    ck_assert(!machines_sync(m, 1));
    ck_assert_uint_eq(machines_map(m)->n, 0);
    ck_assert_ptr_nonnull(machines_note(m));
    machines_free(m);
    close(fd);
    machines_free(NULL);
}
END_TEST

static Suite *machines_suite(void)
{
    Suite *s = suite_create("machines");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_unit_valid);
    tcase_add_test(tc, test_build_and_find);
    tcase_add_test(tc, test_build_many);
    tcase_add_test(tc, test_root_address);
    tcase_add_test(tc, test_no_bus);
    suite_add_tcase(s, tc);
    return s;
}

MT_MAIN(machines_suite)
