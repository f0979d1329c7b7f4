/* machines.h - systemd-machined's registered machines (systemd-nspawn
 * containers, libvirt/qemu VMs, podman when it registers) read over the
 * system bus with sd-bus: which unit (scope or service) runs which machine.
 *
 * org.freedesktop.machine1.Manager.ListMachines gives (name, class,
 * service, object path) per machine; the "Unit" property of each
 * org.freedesktop.machine1.Machine object names its unit as systemd spells
 * it ("machine-qemu\x2d1\x2dvm1.scope", "systemd-nspawn@box.service"),
 * which is also the name of the unit's cgroup directory.
 *
 * Best effort and never blocking for long: a refresh sends all calls
 * asynchronously and waits at most a budget (default 100 ms) for the
 * answers; answers that come later are collected on the next calls
 * without waiting.  No bus, no machined or an error just means an empty
 * map (and a note for MEMTOP_DEBUG).  Everything read from the bus is
 * untrusted: names are sanitized and capped, units validated. */
#ifndef MEMTOP_MACHINES_H
#define MEMTOP_MACHINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MACHINES_UNIT_MAX 256       /* systemd's UNIT_NAME_MAX incl. NUL */
#define MACHINES_NAME_MAX 256       /* sanitized display name, bytes */
#define MACHINES_MAX 4096           /* more machines than this are ignored */
#define MACHINES_BUDGET_USEC 100000 /* default wait per refresh: 100 ms */

typedef struct {
    char unit[MACHINES_UNIT_MAX];   /* escapes kept: compared with cgroup names */
    char name[MACHINES_NAME_MAX];   /* sanitized, capped */
    char cls[16];                   /* "vm", "container" (sanitized), or "" */
    char service[64];               /* "libvirt-qemu", "nspawn", ... or "" */
} Machine;

/* Sorted by unit, one machine per unit. */
typedef struct {
    Machine *v;
    size_t n, cap;
} MachineMap;

/* One machine as the bus described it: raw, untrusted strings. */
typedef struct {
    const char *name, *cls, *service, *unit;
} MachineTuple;

void machine_map_init(MachineMap *m);
void machine_map_free(MachineMap *m);
/* Replace m's contents with tuples t[0..n).  Tuples with an invalid unit or
 * an empty name are skipped; of two with the same unit the later wins.
 * Returns the number of machines kept. */
size_t machine_map_build(MachineMap *m, const MachineTuple *t, size_t n);
/* The machine running unit `component` (a cgroup's last path component),
 * or NULL. */
const Machine *machine_map_find(const MachineMap *m, const char *component);
/* Could s be a systemd unit name (and so a cgroup directory name)? */
bool machines_unit_valid(const char *s);
/* D-Bus address of the system bus socket below the directory open as
 * rootfd, as this process sees it ("unix:path=/proc/self/fd/N/run/dbus/
 * system_bus_socket"); 0, or -1 when it does not fit in len. */
int machines_root_address(int rootfd, char *buf, size_t len);

typedef struct {
    int rootfd;                 /* --root, open; -1 for / */
    const char *address;        /* explicit bus address (--bus-address), or NULL */
    uint64_t budget_usec;       /* longest wait of a refresh; 0: default */
} MachinesOptions;

typedef struct Machines Machines;

/* Nothing is connected yet.  Bus choice: o->address if set, else the
 * system bus (sd_bus_open_system, which honors DBUS_SYSTEM_BUS_ADDRESS)
 * when that variable is set or rootfd is the real /, else the system bus
 * socket below the root (a fixture tree normally has none). */
Machines *machines_new(const MachinesOptions *o);
void machines_free(Machines *m);

/* Call once per tick with the names generation.  When gen differs from
 * that of the last refresh and none is in flight, ask machined again and
 * wait up to the budget; otherwise only take answers that already arrived.
 * True when a refresh completed since the previous call (the map may have
 * changed). */
bool machines_sync(Machines *m, uint64_t gen);
const MachineMap *machines_map(const Machines *m);
/* Why the map is empty or stale ("no system bus: ..."), or NULL. */
const char *machines_note(const Machines *m);

#endif
