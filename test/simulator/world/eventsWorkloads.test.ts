/**
 * Apps, VMs, instances, services, alerts, jobs, tasks and lifecycle emit what TrueNAS emits (truenas-api.md §2.3,
 * §5): lower-case msg, ids where TrueNAS sends them (none for service.query, the uuid string for alerts), full
 * entries where it sends full entries and partial fields where it sends partial ones.
 */
import { describe, expect, it } from "vitest";
import { callError, callWire, clockedWorld, sample, shape, wire } from "./helpers.js";

describe("apps", () => {
  it("stopApp: STOPPING (exactly the sample event) then STOPPED", () => {
    const t = clockedWorld();
    t.world.control.stopApp("plex");
    const events = t.of("app.query");
    expect(events[0]).toEqual(sample("events/app.query.changed.event.json"));
    expect(events[1]).toMatchObject({ msg: "changed", id: "plex", fields: { state: "STOPPED" } });
    expect(callWire(t.world, "app.query", [[["id", "=", "plex"]], { get: true }]).state).toBe("STOPPED");
  });

  it("startApp: DEPLOYING with starting containers, then RUNNING with the workloads back", () => {
    const t = clockedWorld();
    t.world.control.startApp("home-assistant");
    const [deploying, running] = t.of("app.query");
    expect(deploying.fields.state).toBe("DEPLOYING");
    expect(deploying.fields.active_workloads.container_details[0].state).toBe("starting");
    expect(running.fields.state).toBe("RUNNING");
    expect(running.fields.active_workloads.used_ports[0].host_ports[0].host_port).toBe(30103);
  });

  it("app.stop / app.start are jobs whose events bracket the app events", () => {
    const t = clockedWorld();
    const id = t.world.call("app.stop", ["nextcloud"], { messageId: 5 });
    expect(typeof id).toBe("number");
    const order = t.events.map((e) => `${e.collection}:${(e.fields as any)?.state ?? ""}`);
    expect(order).toEqual([
      "core.get_jobs:WAITING",
      "core.get_jobs:RUNNING",
      "core.get_jobs:RUNNING",
      "app.query:STOPPING",
      "app.query:STOPPED",
      "core.get_jobs:SUCCESS",
      "core.get_jobs:SUCCESS",
    ]);
    expect(callError(t.world, "app.start", ["nope"]).code).toBe(-32602);
  });

  it("setAppUpgradeAvailable and crashApp send the full entry", () => {
    const t = clockedWorld();
    t.world.control.setAppUpgradeAvailable("plex", true, "1.2.15");
    t.world.control.crashApp("nextcloud");
    const [upgrade, crash] = t.of("app.query");
    expect(upgrade.fields).toMatchObject({
      upgrade_available: true,
      latest_version: "1.2.15",
      portals: { "Web UI": "http://192.168.10.20:32400/web" },
    });
    expect(crash.fields.state).toBe("CRASHED");
    expect(shape(upgrade.fields)).toEqual(shape(sample("app.query.json")[0]));
  });

  it("deleteApp: app.query removed with the name and no fields", () => {
    const t = clockedWorld();
    t.world.control.deleteApp("home-assistant");
    expect(t.of("app.query")).toEqual([{ collection: "app.query", msg: "removed", id: "home-assistant" }]);
    expect(callWire(t.world, "app.query").map((a: any) => a.name)).toEqual(["plex", "nextcloud"]);
  });

  it("extra.host_ip rewrites the portals", () => {
    const t = clockedWorld();
    const [plex] = callWire(t.world, "app.query", [
      [["name", "=", "plex"]],
      { extra: { host_ip: "10.9.8.7" } },
    ]);
    expect(plex.portals["Web UI"]).toBe("http://10.9.8.7:32400/web");
  });
});

describe("VMs and instances", () => {
  it("startVm: vm.query changed in libvirt vocabulary, without devices, extra.state BLOCKED", () => {
    const t = clockedWorld();
    t.world.control.startVm(2);
    const [e] = t.of("vm.query");
    const want = sample("events/vm.query.changed.event.json");
    expect(e.fields.status.pid).toEqual(expect.any(Number));
    e.fields.status.pid = want.fields.status.pid;
    expect(e).toEqual(want);
    expect(callWire(t.world, "vm.query", [[["id", "=", 2]], { get: true }]).status.state).toBe("RUNNING");
  });

  it("stopVm: SHUTOFF in the event, STOPPED in vm.query", () => {
    const t = clockedWorld();
    t.world.control.stopVm("win11");
    const [e] = t.of("vm.query");
    expect(e.fields.status).toEqual({ state: "SHUTOFF", pid: null, domain_state: "SHUTOFF" });
    expect(e.extra).toEqual({ state: "SHUTOFF" });
    expect(callWire(t.world, "vm.query", [[["id", "=", 1]], { get: true }]).status.state).toBe("STOPPED");
  });

  it("25.04.0: a VM start is a partial virt.instance.query change", () => {
    const t = clockedWorld({ version: "25.04.0" });
    t.world.control.startVm(2);
    expect(t.of("vm.query")).toEqual([]);
    expect(t.of("virt.instance.query")).toEqual([
      { collection: "virt.instance.query", msg: "changed", id: "debian12", fields: { status: "RUNNING" } },
    ]);
  });

  it("setInstanceStatus takes the wider 25.04.2+ vocabulary", () => {
    const t = clockedWorld();
    t.world.control.setInstanceStatus("pihole", "FROZEN");
    expect(t.of("virt.instance.query")[0].fields).toEqual({ status: "FROZEN" });
    expect(callWire(t.world, "virt.instance.query")[0].status).toBe("FROZEN");
  });

  it("setInstanceRunning sends exactly the sample's partial event", () => {
    const t = clockedWorld();
    t.world.control.setInstanceRunning("pihole", false);
    expect(t.of("virt.instance.query")).toEqual([sample("events/virt.instance.query.changed.event.json")]);
  });
});

describe("services, alerts, lifecycle, updates", () => {
  it("service.query changed has the full entry and no id", () => {
    const t = clockedWorld();
    t.world.control.setServiceRunning("ssh", false);
    t.world.control.setServiceRunning("ssh", true);
    const [stopped, started] = t.of("service.query");
    expect(stopped).not.toHaveProperty("id");
    expect(stopped.fields).toEqual({ id: 12, service: "ssh", enable: true, state: "STOPPED", pids: [] });
    expect(shape(started)).toEqual(shape(sample("events/service.query.changed.event.json")));
    expect(() => t.world.control.setServiceRunning("smartd", true)).toThrow(/no service smartd/);
  });

  it("overheatDisk raises the release's alert; disk.temperature_alerts finds it", () => {
    const t = clockedWorld();
    const uuid = t.world.control.overheatDisk("nvme1n1", 85);
    const [added] = t.of("alert.list");
    const want = sample("events/alert.list.added.event.json");
    expect(added.id).toBe(uuid);
    for (const k of ["uuid", "id", "datetime", "last_occurrence"]) added.fields[k] = want.fields[k];
    added.id = want.id;
    expect(added).toEqual(want);
    expect(shape(callWire(t.world, "disk.temperature_alerts", [["nvme1n1"]]))).toEqual(
      shape(sample("disk.temperature_alerts.json")),
    );
    expect(callWire(t.world, "disk.temperatures", [["nvme1n1"], true])).toEqual({ nvme1n1: [85, 84] });
    const t4 = clockedWorld({ version: "25.04.2" });
    t4.world.control.overheatDisk("sdb");
    const [smart] = callWire(t4.world, "disk.temperature_alerts", [["sdb"]]);
    expect(smart).toMatchObject({ klass: "SMART", args: { device: "/dev/sdb" }, level: "CRITICAL" });
  });

  it("raise/dismiss/clear alerts: added with the uuid, changed on dismiss, removed (one-shot dismiss too)", () => {
    const t = clockedWorld();
    const uuid = t.world.control.raiseAlert({
      klass: "Custom",
      level: "WARNING",
      formatted: "Something odd",
    });
    t.world.control.dismissAlert(uuid);
    t.world.control.dismissAlert("0c9e7d44-52a1-4b6b-8f0d-2e7c91a3d5b8");
    t.world.control.clearAlert(uuid);
    expect(t.of("alert.list").map((e) => [e.msg, e.id, e.fields?.dismissed])).toEqual([
      ["added", uuid, false],
      ["changed", uuid, true],
      ["removed", "0c9e7d44-52a1-4b6b-8f0d-2e7c91a3d5b8", undefined],
      ["removed", uuid, undefined],
    ]);
  });

  it("alert.list is sorted by level, then title, then datetime", () => {
    const t = clockedWorld();
    t.world.control.raiseAlert({ klass: "Zeta", level: "WARNING", formatted: "z" });
    t.world.control.raiseAlert({ klass: "Alpha", level: "WARNING", formatted: "a" });
    t.world.control.raiseAlert({ klass: "Boom", level: "EMERGENCY", formatted: "b" });
    expect(callWire(t.world, "alert.list").map((a: any) => a.klass)).toEqual([
      "Boom",
      "VolumeStatus",
      "Alpha",
      "Zeta",
      "AppUpdate",
      "HasUpdate",
    ]);
  });

  it("reboot: system.reboot {reason}, a new boot id and boottime, system.ready, an empty job list", () => {
    const t = clockedWorld();
    const bootId = t.world.call("system.boot_id");
    t.tick(60_000);
    t.world.control.reboot("Upgrade");
    expect(t.events.filter((e) => e.collection.startsWith("system.")).map(wire)).toEqual([
      { collection: "system.reboot", msg: "added", fields: { reason: "Upgrade" } },
      { collection: "system.ready", msg: "added" },
    ]);
    expect(t.world.call("system.boot_id")).not.toBe(bootId);
    const info = callWire(t.world, "system.info");
    expect(info.uptime_seconds).toBeLessThan(1);
    expect(callWire(t.world, "core.get_jobs")).toEqual([]);
    expect(callWire(t.world, "cloudsync.query")[0].job).toMatchObject({
      id: null,
      state: "SUCCESS",
      logs_path: null,
    });
  });

  it("setReady(false) makes system.ready false and BOOTING until setReady(true)", () => {
    const t = clockedWorld();
    t.world.control.setReady(false);
    expect([t.world.call("system.ready"), t.world.call("system.state")]).toEqual([false, "BOOTING"]);
    t.world.control.setReady(true);
    expect(t.of("system.ready")).toEqual([{ collection: "system.ready", msg: "added" }]);
  });

  it("25.10 update download: update.status changed with the status in extra, no fields", () => {
    const t = clockedWorld();
    t.world.control.setUpdateDownload(37.5);
    const [e] = t.of("update.status");
    const want = sample("events/update.status.changed.event.25.10.json");
    expect(e).not.toHaveProperty("fields");
    expect(Object.keys(e.extra.status).sort()).toEqual(Object.keys(want.extra.status).sort());
    expect(e.extra.status.update_download_progress).toEqual(want.extra.status.update_download_progress);
    const t4 = clockedWorld({ version: "25.04.0" });
    t4.world.control.setUpdateAvailable(null);
    expect(t4.of("update.status")).toEqual([]);
    expect(t4.of("alert.list").map((e) => e.msg)).toEqual(["removed"]);
  });
});
