#!/usr/bin/python3
"""mock_machined.py - a tiny org.freedesktop.machine1 for tests/names_bus.sh.

Serves Manager.ListMachines (a(ssso)) at /org/freedesktop/machine1 and the
"Unit" property of org.freedesktop.machine1.Machine at each machine's path,
on the bus at ADDRESS (python3-dbus with the GLib main loop).

  mock_machined.py ADDRESS MACHINES.json READY_FILE [--delay SECONDS] [--log FILE]

MACHINES.json: [[name, class, service, unit], ...].  READY_FILE is written
once the name is owned.  --delay sleeps before each ListMachines answer (the
whole service stalls, as a hung daemon would); --log appends one line per
ListMachines call.
"""
import json
import sys
import time

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

M1 = "org.freedesktop.machine1"


class Machine(dbus.service.Object):
    def __init__(self, conn, path, unit):
        super().__init__(conn, path)
        self.unit = unit

    @dbus.service.method("org.freedesktop.DBus.Properties", in_signature="ss",
                         out_signature="v")
    def Get(self, iface, prop):
        if iface == M1 + ".Machine" and prop == "Unit":
            return dbus.String(self.unit, variant_level=1)
        raise dbus.exceptions.DBusException(
            "no property %s.%s" % (iface, prop),
            name="org.freedesktop.DBus.Error.UnknownProperty")


class Manager(dbus.service.Object):
    def __init__(self, conn, machines, delay, log):
        super().__init__(conn, "/org/freedesktop/machine1")
        self.machines = machines
        self.delay = delay
        self.log = log
        self.objects = []
        for i, (_, _, _, unit) in enumerate(machines):
            self.objects.append(Machine(conn, self.path(i), unit))

    @staticmethod
    def path(i):
        return "/org/freedesktop/machine1/machine/m%d" % i

    @dbus.service.method(M1 + ".Manager", in_signature="", out_signature="a(ssso)")
    def ListMachines(self):
        if self.log:
            with open(self.log, "a") as f:
                f.write("ListMachines %.3f\n" % time.time())
        if self.delay:
            time.sleep(self.delay)
        return [(n, c, s, dbus.ObjectPath(self.path(i)))
                for i, (n, c, s, _) in enumerate(self.machines)]


def main():
    args = sys.argv[1:]
    delay, log = 0.0, None
    if "--delay" in args:
        i = args.index("--delay")
        delay = float(args[i + 1])
        del args[i:i + 2]
    if "--log" in args:
        i = args.index("--log")
        log = args[i + 1]
        del args[i:i + 2]
    address, machines_file, ready = args
    with open(machines_file) as f:
        machines = json.load(f)
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    conn = dbus.bus.BusConnection(address)
    name = dbus.service.BusName(M1, conn, do_not_queue=True)
    manager = Manager(conn, machines, delay, log)
    with open(ready, "w") as f:
        f.write("ready\n")
    loop = GLib.MainLoop()
    conn.call_on_disconnection(lambda _c: loop.quit())
    loop.run()
    del name, manager


if __name__ == "__main__":
    main()
