/**
 * `pool.dataset.query` semantics (truenas-api.md §3.6): the flat list whose entries still carry their subtrees,
 * `extra` options per release, property objects and `value` text per release, hidden internal datasets, and the
 * lazy rendering giving the same answer as the naive one.
 */
import { describe, expect, it } from "vitest";
import type { SimVersion } from "../../../src/simulator/types.js";
import { SimWorld } from "../../../src/simulator/world/world.js";
import { queryList } from "../../../src/simulator/filters.js";
import { SAMPLE_NOW_MS, callWire, wire } from "./helpers.js";

const world = (version: SimVersion = "25.10") =>
  new SimWorld({ profile: "typical", version, now: () => SAMPLE_NOW_MS });
const query = (w: SimWorld, filters: unknown[] = [], options: Record<string, unknown> = {}) =>
  callWire(w, "pool.dataset.query", [filters, options]);

function countNodes(ds: any): number {
  return 1 + ds.children.reduce((s: number, c: any) => s + countNodes(c), 0);
}

describe("listing", () => {
  it("default: a flat list of the 22 datasets, each still containing its subtree", () => {
    const rows = query(world());
    expect(rows).toHaveLength(22);
    const byId = new Map(rows.map((r: any) => [r.id, r]));
    expect((byId.get("tank") as any).children.map((c: any) => c.id)).toEqual([
      "tank/media",
      "tank/backups",
      "tank/home",
      "tank/share",
      "tank/vms",
    ]);
    expect(countNodes(byId.get("tank"))).toBe(14);
    expect(countNodes(byId.get("fast"))).toBe(8);
    expect((byId.get("tank/media") as any).children.map((c: any) => c.name)).toEqual([
      "tank/media/movies",
      "tank/media/tv",
      "tank/media/music",
    ]);
    expect(byId.get("tank/media")).toEqual((byId.get("tank") as any).children[0]);
  });

  it("flat:false returns only the pool roots with nested children", () => {
    const rows = query(world(), [], { extra: { flat: false } });
    expect(rows.map((r: any) => r.id)).toEqual(["tank", "fast"]);
    expect(countNodes(rows[0]) + countNodes(rows[1])).toBe(22);
  });

  it("internal datasets are hidden everywhere, even when asked for by name", () => {
    const all = JSON.stringify(query(world()));
    for (const hidden of ["tank/.system", "fast/ix-apps", "fast/.ix-virt", "boot-pool"]) {
      expect(all).not.toContain(`"${hidden}"`);
    }
    expect(query(world(), [["id", "=", "fast/ix-apps"]])).toEqual([]);
  });

  it("retrieve_children:false without filters gives the roots with empty children", () => {
    const rows = query(world(), [], { extra: { retrieve_children: false } });
    expect(rows.map((r: any) => [r.id, r.children])).toEqual([
      ["tank", []],
      ["fast", []],
    ]);
  });

  it("retrieve_children:false with filters: 25.10 searches all datasets, 25.04 only the roots", () => {
    const big = [["used.parsed", ">", 1e12]];
    const opts = { extra: { retrieve_children: false } };
    expect(query(world("25.10"), big, opts).map((r: any) => r.id)).toEqual([
      "tank",
      "tank/media",
      "tank/media/movies",
      "tank/media/tv",
      "tank/backups",
      "tank/backups/laptop-alice",
    ]);
    expect(query(world("25.04.2"), big, opts).map((r: any) => r.id)).toEqual(["tank"]);
    const named = [["id", "in", ["tank/home/bob", "fast/scratch"]]];
    expect(query(world("25.04.2"), named, opts).map((r: any) => r.id)).toEqual([
      "tank/home/bob",
      "fast/scratch",
    ]);
  });

  it("count: 25.10 counts every visited dataset regardless of filters; 25.04 counts matches", () => {
    const f = [["pool", "=", "fast"]];
    expect(query(world("25.10"), f, { count: true })).toBe(22);
    expect(query(world("25.04.2"), f, { count: true })).toBe(8);
    expect(query(world("25.10"), [], { count: true })).toBe(22);
  });
});

describe("properties", () => {
  it("quotas: parsed and value null when unset, numbers when set", () => {
    const [bob] = query(world(), [["id", "=", "tank/home/bob"]]);
    expect(bob.quota).toEqual({
      parsed: null,
      rawvalue: "0",
      value: null,
      source: "DEFAULT",
      source_info: null,
    });
    expect(bob.refquota).toEqual({
      parsed: 536870912000,
      rawvalue: "536870912000",
      value: "500 GiB",
      source: "LOCAL",
      source_info: null,
    });
  });

  it("inheritance reports the dataset the value comes from", () => {
    const rows = query(world(), [["id", "in", ["tank/home/alice", "tank/media/movies", "tank"]]]);
    const get = (id: string) => rows.find((r: any) => r.id === id);
    expect(get("tank/home/alice").compression.source_info).toBe("tank/home");
    expect(get("tank/media/movies").compression).toMatchObject({ source: "INHERITED", source_info: "tank" });
    expect(get("tank").compression).toMatchObject({ source: "LOCAL", parsed: "lz4", value: "LZ4" });
  });

  it("value text: 25.10 format_size, 25.04 ZFS nicenum", () => {
    const [t10] = query(world("25.10"), [["id", "=", "tank"]]);
    const [t04] = query(world("25.04.2"), [["id", "=", "tank"]]);
    expect([t10.used.value, t10.usedbyrefreservation.value, t10.recordsize.value]).toEqual([
      "11.92 TiB",
      "0 bytes",
      "128K",
    ]);
    expect([t04.used.value, t04.usedbyrefreservation.value, t04.recordsize.value]).toEqual([
      "11.9T",
      "0B",
      "128K",
    ]);
    expect(t04.used.parsed).toBe(t10.used.parsed);
    expect(t04.compressratio.value).toBe("1.03x");
  });

  it("zvols carry volsize/volblocksize and no filesystem-only properties; mountpoint null", () => {
    const [zvol] = query(world(), [["id", "=", "tank/vms/win11"]]);
    expect(zvol.type).toBe("VOLUME");
    expect(zvol.volsize.parsed).toBe(536870912000);
    expect(zvol.volblocksize).toMatchObject({ parsed: 16384, value: "16K", source: "DEFAULT" });
    for (const k of ["quota", "refquota", "recordsize", "atime", "aclmode"])
      expect(zvol).not.toHaveProperty(k);
    expect(zvol.mountpoint).toBeNull();
  });

  it("extra.properties [] keeps no property objects but the mountpoint; crypto columns only when asked", () => {
    const [share] = query(world(), [["id", "=", "tank/share"]], { extra: { properties: [] } });
    expect(Object.keys(share).sort()).toEqual([
      "children",
      "id",
      "mountpoint",
      "name",
      "pool",
      "type",
      "user_properties",
    ]);
    const [home] = query(world(), [["id", "=", "tank/home"]], {
      extra: { properties: ["keystatus", "used"] },
    });
    expect(home).toMatchObject({
      encrypted: true,
      encryption_root: "tank/home",
      key_loaded: true,
      locked: false,
    });
    expect(home.used.parsed).toBe(780653255720);
    expect(home).not.toHaveProperty("available");
  });

  it("user properties: 25.10 renames TrueNAS ones inside user_properties; 25.04 lifts them to the top", () => {
    const f = [["id", "=", "tank/share"]];
    const [s10] = query(world("25.10"), f);
    expect(s10.user_properties.comments.value).toBe("Family share");
    expect(s10).not.toHaveProperty("comments");
    const [s04] = query(world("25.04.0"), f);
    expect(s04.comments).toMatchObject({ parsed: "Family share", source: "LOCAL" });
    expect(s04.user_properties["org.freenas:description"].rawvalue).toBe("Family share");
    const [none] = query(world(), f, { extra: { retrieve_user_props: false } });
    expect(none).not.toHaveProperty("user_properties");
  });

  it("snapshots_count adds snapshot_count", () => {
    const [home] = query(world(), [["id", "=", "tank/home"]], { extra: { snapshots_count: true } });
    expect(home.snapshot_count).toBe(336);
  });
});

describe("lazy rendering equals the naive answer", () => {
  const cases: Array<[string, unknown[], Record<string, unknown>]> = [
    ["select without children", [], { select: ["id", "used", "quota"] }],
    ["select with children", [], { select: ["id", "children"] }],
    ["dotted select and alias", [], { select: ["id", "used.parsed", ["available.parsed", "free"]] }],
    ["filter on an unselected property", [["refquota.parsed", "!=", null]], { select: ["id"] }],
    ["filter through children", [["children.*.type", "=", "VOLUME"]], { select: ["name"] }],
    // order_by runs after select (filter_list.py), so it can only sort on selected keys.
    ["order_by on a selected property", [], { select: ["id", "used"], order_by: ["-used.parsed"] }],
    ["get", [["pool", "=", "fast"]], { select: ["id", "mountpoint"], get: true }],
  ];

  it.each(cases)("%s", (_label, filters, options) => {
    const w = world();
    const everything = w.call("pool.dataset.query", [[], {}]) as unknown[];
    const naive = wire(queryList(everything, filters, options));
    expect(callWire(w, "pool.dataset.query", [filters, options])).toEqual(naive);
  });

  it("on the large profile the monitoring select matches a select over the full answer", () => {
    const w = new SimWorld({ profile: "large", version: "25.10", seed: 3, now: () => SAMPLE_NOW_MS });
    const select = [
      "id",
      "type",
      "pool",
      "used",
      "available",
      "quota",
      "refquota",
      "mountpoint",
      "encrypted",
      "locked",
    ];
    const full = w.call("pool.dataset.query", [[], {}]) as Array<Record<string, unknown>>;
    const picked = full.map((d) => Object.fromEntries(select.filter((k) => k in d).map((k) => [k, d[k]])));
    expect(callWire(w, "pool.dataset.query", [[], { select }])).toEqual(JSON.parse(JSON.stringify(picked)));
  });
});
