/**
 * Storage mutations emit what a real NAS emits (truenas-api.md §2.3): `pool.query` changed with the full entry,
 * `zfs.pool.scan` without an id every tick, VolumeStatus alerts by uuid, `disk.query` by identifier,
 * `pool.dataset.query` by name, and the `pool.scrub.scrub` job lifecycle.
 */
import { describe, expect, it } from "vitest";
import { callWire, clockedWorld, sample, shape } from "./helpers.js";

describe("pool health", () => {
  it("degradePool: pool.query changed (full entry, FAULTED member) then a VolumeStatus alert", () => {
    const t = clockedWorld();
    t.world.control.degradePool("tank", { disk: "sdc" });
    const [changed] = t.of("pool.query");
    expect(changed).toMatchObject({ collection: "pool.query", msg: "changed", id: 1 });
    expect(changed.fields).toEqual(callWire(t.world, "pool.query", [[["id", "=", 1]], { get: true }]));
    expect(changed.fields).toMatchObject({
      status: "DEGRADED",
      healthy: false,
      status_code: "FAULTED_DEV_R",
    });
    const vdev = changed.fields.topology.data[0];
    expect(vdev.status).toBe("DEGRADED");
    const member = vdev.children.find((c: any) => c.disk === "sdc");
    expect(member).toMatchObject({ status: "FAULTED", stats: { read_errors: 3, write_errors: 112 } });
    expect(member.unavail_disk).toMatchObject({ name: "sdc", serial: "WD-CA0AB2D7" });
    const [alert] = t.of("alert.list");
    expect(alert).toMatchObject({ msg: "added", id: alert.fields.uuid });
    expect(typeof alert.id).toBe("string");
    expect(alert.fields.formatted).toBe(
      "Pool tank state is DEGRADED: One or more devices are faulted in response to persistent errors. Sufficient " +
        "replicas exist for the pool to continue functioning in a degraded state.<br>The following devices are not " +
        "healthy:<ul><li>Disk WDC WD80EFZZ-68BTXN0 WD-CA0AB2D7 is FAULTED</li></ul>",
    );
    const listed = callWire(t.world, "alert.list");
    expect(listed.map((a: any) => a.klass).slice(0, 2)).toEqual(["VolumeStatus", "VolumeStatus"]);
    expect(listed.find((a: any) => a.uuid === alert.id).args.volume).toBe("tank");
  });

  it("restorePool: pool.query changed back to OK and the pool's VolumeStatus alert removed (no fields)", () => {
    const t = clockedWorld();
    t.world.control.restorePool("fast");
    const [changed] = t.of("pool.query");
    const want = sample("events/pool.query.changed.event.json");
    expect(Object.keys(changed).sort()).toEqual(Object.keys(want).sort());
    expect(Object.keys(changed.fields).sort()).toEqual(Object.keys(want.fields).sort());
    expect(changed.fields).toMatchObject({
      status: "ONLINE",
      healthy: true,
      status_code: "OK",
      status_detail: null,
    });
    expect(t.of("alert.list")).toEqual([sample("events/alert.list.removed.event.json")]);
    expect(
      callWire(t.world, "pool.query", [
        [["name", "=", "fast"]],
        { select: ["is_upgraded"], extra: { is_upgraded: true } },
      ]),
    ).toEqual([{ is_upgraded: true }]);
  });
});

describe("scrubs", () => {
  it("a running scrub sends zfs.pool.scan (no id) every 2 s and moves its job; the finish is final", () => {
    const t = clockedWorld();
    t.tick(4000);
    const scans = t.of("zfs.pool.scan");
    expect(scans).toHaveLength(2);
    for (const e of scans) {
      expect(e).not.toHaveProperty("id");
      expect(shape(e)).toEqual(shape(sample("events/zfs.pool.scan.changed.event.json")));
      expect(e.fields.name).toBe("fast");
    }
    expect(scans[1].fields.scan.percentage).toBeGreaterThan(scans[0].fields.scan.percentage);
    expect(Math.abs(scans[1].fields.scan.total_secs_left - 594)).toBeLessThanOrEqual(1);
    t.tick(600_000);
    const last = t.of("zfs.pool.scan").at(-1);
    expect(last.fields.scan).toMatchObject({ state: "FINISHED", total_secs_left: null, percentage: 100 });
    expect(last.fields.scan.end_time.$date).toBeGreaterThan(last.fields.scan.start_time.$date);
    const job = callWire(t.world, "core.get_jobs", [[["id", "=", 423]], { get: true }]);
    expect(job).toMatchObject({
      state: "SUCCESS",
      progress: { percent: 100, description: "Scrub finished" },
    });
    expect(t.of("zfs.pool.scan").filter((e) => e.fields.scan.state === "FINISHED")).toHaveLength(1);
  });

  it("pool.scrub.scrub START returns a job id; the job carries the caller and message id", () => {
    const t = clockedWorld();
    const id = t.world.call("pool.scrub.scrub", ["tank", "START"], {
      messageId: 91,
      username: "root",
    }) as number;
    const jobs = t.of("core.get_jobs").filter((e) => e.id === id);
    expect(jobs[0]).toMatchObject({
      msg: "added",
      fields: { state: "WAITING", message_ids: [91], description: "Scrub of pool 'tank'" },
    });
    expect(jobs[0].fields.credentials).toMatchObject({ type: "API_KEY", data: { username: "root" } });
    expect(jobs[1]).toMatchObject({ msg: "changed", fields: { state: "RUNNING" } });
    expect(t.of("zfs.pool.scan").at(-1).fields).toMatchObject({
      name: "tank",
      scan: { state: "SCANNING", percentage: 0 },
    });
    t.world.call("pool.scrub.scrub", ["tank", "STOP"]);
    expect(t.of("zfs.pool.scan").at(-1).fields.scan.state).toBe("CANCELED");
    const finished = callWire(t.world, "core.get_jobs", [[["id", "=", id]], { get: true }]);
    expect(finished.state).toBe("SUCCESS");
    const stopJob = callWire(t.world, "core.get_jobs", [
      [["arguments", "=", ["tank", "STOP"]]],
      { get: true },
    ]);
    expect(stopJob.description).toBe("Stop scrubbing pool 'tank'");
  });

  it("control.startScrub/finishScrub work on an idle pool and on pause/resume", () => {
    const t = clockedWorld();
    t.world.control.startScrub("tank");
    t.world.control.pauseScrub("tank");
    expect(
      callWire(t.world, "pool.query", [[["name", "=", "tank"]], { get: true }]).scan.pause,
    ).not.toBeNull();
    t.world.control.startScrub("tank");
    t.world.control.finishScrub("tank");
    expect(callWire(t.world, "pool.query", [[["name", "=", "tank"]], { get: true }]).scan).toMatchObject({
      state: "FINISHED",
      pause: null,
    });
  });
});

describe("disks", () => {
  it("removeDisk: disk.query removed by identifier, hidden unless include_expired, pool member REMOVED", () => {
    const t = clockedWorld();
    t.world.control.removeDisk("sdb");
    expect(t.of("disk.query")).toEqual([
      { collection: "disk.query", msg: "removed", id: "{serial_lunid}WD-CA0AB1C1_5000cca0bc1234a1" },
    ]);
    expect(callWire(t.world, "disk.query").map((d: any) => d.name)).not.toContain("sdb");
    const all = callWire(t.world, "disk.query", [
      [["name", "=", "sdb"]],
      { extra: { include_expired: true } },
    ]);
    expect(all[0].expiretime).toHaveProperty("$date");
    const pool = t.of("pool.query")[0].fields;
    expect(pool).toMatchObject({ status: "DEGRADED", status_code: "REMOVED_DEV" });
    expect(callWire(t.world, "disk.temperatures", [[]])).not.toHaveProperty("sdb");
  });

  it("addDisk: disk.query added with the full entry (id = identifier, pool null)", () => {
    const t = clockedWorld();
    const disk = t.world.control.addDisk({ serial: "ZR1NEW" });
    const [added] = t.of("disk.query");
    expect(added).toMatchObject({ msg: "added", id: disk.identifier, fields: { name: "sdg", pool: null } });
    expect(Object.keys(added.fields).sort()).toEqual(Object.keys(sample("disk.query.json")[0]).sort());
    expect(callWire(t.world, "disk.query", [[["serial", "=", "ZR1NEW"]], { get: true }]).identifier).toBe(
      added.id,
    );
  });
});

describe("datasets", () => {
  it("createDataset: pool.dataset.query added with the full entry (id = name)", () => {
    const t = clockedWorld();
    t.world.control.createDataset("tank/home/carol", { refquota: 2 ** 40 });
    const [added] = t.of("pool.dataset.query");
    expect(added).toMatchObject({ msg: "added", id: "tank/home/carol" });
    const queried = callWire(t.world, "pool.dataset.query", [
      [["id", "=", "tank/home/carol"]],
      { get: true },
    ]);
    expect(added.fields).toEqual(queried);
    expect(queried).toMatchObject({ encrypted: true, encryption_root: "tank/home", children: [] });
    expect(queried.refquota.value).toBe("1 TiB");
    const home = callWire(t.world, "pool.dataset.query", [[["id", "=", "tank/home"]], { get: true }]);
    expect(home.children.map((c: any) => c.id)).toContain("tank/home/carol");
  });

  it("destroyDataset: one removed event per dataset, deepest first, without fields", () => {
    const t = clockedWorld();
    t.world.control.destroyDataset("tank/media");
    expect(t.of("pool.dataset.query")).toEqual(
      ["tank/media/movies", "tank/media/tv", "tank/media/music", "tank/media"].map((id) => ({
        collection: "pool.dataset.query",
        msg: "removed",
        id,
      })),
    );
    expect(t.world.counts().datasets).toBe(18);
  });
});
