import { describe, expect, it } from "vitest";
import { deviceKey, makeNasIdentity } from "../../src/entities/ids.js";
import { datasetPattern, datasetsGroup, globToRegex } from "../../src/groups/datasets.js";
import type { GroupOptions } from "../../src/groups/group.js";
import { poolsGroup } from "../../src/groups/pools.js";
import { systemGroup } from "../../src/groups/system.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimVersion } from "../../src/simulator/types.js";
import { parseVersion } from "../../src/truenas/version.js";
import { publishCheck } from "../support/publishCheck.js";
import { worldCall } from "../support/worldCall.js";

type Calls = Array<{ method: string; params: readonly unknown[] }>;
type DatasetOptions = GroupOptions["datasets"];

const nas = makeNasIdentity({ hostId: "f3a9c2d1", hostname: "nas01" });
const DEFAULT: DatasetOptions = { include: [], exclude: [], maxDepth: 1 };

function context(world: SimWorld, datasets: DatasetOptions = DEFAULT, calls?: Calls) {
  const version = parseVersion(String(world.state.info.version));
  return { call: worldCall(world, calls), version, options: { datasets }, nas };
}

async function poll(world: SimWorld, datasets: DatasetOptions = DEFAULT, calls?: Calls) {
  const ctx = context(world, datasets, calls);
  return datasetsGroup.normalise(await datasetsGroup.fetch(ctx), ctx);
}

const ids = (snap: Awaited<ReturnType<typeof poll>>) => snap.objects.map((o) => o.ref.id);
const TOP_LEVEL = [
  "fast",
  "fast/appdata",
  "fast/scratch",
  "fast/vms",
  "tank",
  "tank/backups",
  "tank/home",
  "tank/media",
  "tank/share",
  "tank/vms",
];

describe.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])("datasets group on %s", (version) => {
  it("publishes each pool's root and top-level datasets with the simulator's numbers", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await poll(world);
    expect(ids(snap)).toEqual(TOP_LEVEL);
    const guid = new Map(world.state.pools.map((p) => [String(p.name), String(p.guid)]));
    for (const o of snap.objects) {
      const truth = world.state.datasets.find((d) => d.id === o.ref.id)!;
      const used = Number(truth.used.parsed);
      const available = Number(truth.available.parsed);
      const quota = (truth.quota?.parsed as number | null | undefined) ?? null;
      expect(o.ref.kind).toBe("dataset");
      expect(o.device).toBe(deviceKey({ kind: "pool", id: guid.get(String(truth.pool))! }));
      expect(o.doc).toEqual({
        name: o.ref.id,
        used,
        available,
        quota,
        usage_percent: Math.round((used / (quota ?? used + available)) * 1000) / 10,
        compression_ratio: Number(truth.compressratio.parsed),
      });
      expect(o.attributes).toMatchObject({
        type: truth.type,
        pool: truth.pool,
        encrypted: truth.encrypted,
        locked: truth.locked,
      });
    }
  });

  it("gives only datasets with a quota a quota sensor, and measures their usage against it", async () => {
    const snap = await poll(new SimWorld({ profile: "typical", version }));
    const backups = snap.objects.find((o) => o.ref.id === "tank/backups")!.doc;
    expect(backups).toMatchObject({ quota: 2199023255552, usage_percent: 74 });
    const quotaOwners = snap.entities.filter((e) => e.key === "quota").map((e) => e.object.id);
    expect(quotaOwners).toEqual(["tank/backups"]);
    expect(snap.entities.filter((e) => e.object.id === "tank/media")).toHaveLength(4);
    expect(snap.entities.find((e) => e.object.id === "tank/media" && e.key === "used")!.name).toBe(
      "tank/media Used",
    );
  });

  it("publishes valid discovery on the pool devices", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const ctx = context(world);
    const pools = poolsGroup.normalise(await poolsGroup.fetch(ctx), ctx);
    const system = systemGroup.normalise(await systemGroup.fetch(ctx), ctx);
    const datasets = await poll(world);
    const check = publishCheck(nas, [system, pools, datasets]);
    expect(check.issues).toEqual([]);
    expect(check.problems).toEqual([]);
    expect(datasets.entities.length).toBe(41);
  });

  it("follows a created and a destroyed dataset (pool.dataset.query events)", async () => {
    const world = new SimWorld({ profile: "typical", version });
    world.control.createDataset("tank/photos", 4096);
    expect(ids(await poll(world))).toContain("tank/photos");
    world.control.destroyDataset("tank/media");
    const after = ids(await poll(world));
    expect(after).not.toContain("tank/media");
    expect(after).toContain("tank/photos");
  });
});

describe("datasets group: selection", () => {
  it("filters server-side: 210 of the large NAS's 5,010 datasets come back, without children", async () => {
    const world = new SimWorld({ profile: "large", version: "25.10" });
    expect(world.state.datasets).toHaveLength(5010);
    const calls: Calls = [];
    const raw = await datasetsGroup.fetch(context(world, DEFAULT, calls));
    expect(raw.datasets as unknown[]).toHaveLength(210);
    expect((raw.datasets as Array<Record<string, unknown>>).every((d) => !("children" in d))).toBe(true);
    expect(calls.map((c) => c.method).sort()).toEqual(["pool.dataset.query", "pool.query"]);
    expect(calls.find((c) => c.method === "pool.query")!.params).toEqual([[], { select: ["name", "guid"] }]);
    const [filters, options] = calls.find((c) => c.method === "pool.dataset.query")!.params as [
      unknown,
      Record<string, unknown>,
    ];
    expect(filters).toEqual([["id", "~", "^(?:[^/]+(?:/[^/]+){0,1})$"]]);
    expect(options.select).not.toContain("children");
    expect(options.extra).toMatchObject({ flat: true, retrieve_user_props: false });
  });

  it("depth 0 is the pool roots only", async () => {
    const snap = await poll(new SimWorld({ profile: "typical", version: "25.10" }), {
      ...DEFAULT,
      maxDepth: 0,
    });
    expect(ids(snap)).toEqual(["fast", "tank"]);
  });

  it("include replaces the depth rule, exclude always wins", async () => {
    const world = new SimWorld({ profile: "typical", version: "25.04.2" });
    const snap = await poll(world, {
      include: ["tank/media/*", "**/appdata/**", "fast"],
      exclude: ["tank/media/tv", "*/appdata/home-assistant"],
      maxDepth: 1,
    });
    expect(ids(snap)).toEqual([
      "fast",
      "fast/appdata/nextcloud",
      "fast/appdata/plex",
      "tank/media/movies",
      "tank/media/music",
    ]);
    const excludeOnly = await poll(world, { include: [], exclude: ["tank/**", "fast/vms"], maxDepth: 1 });
    expect(ids(excludeOnly)).toEqual(["fast", "fast/appdata", "fast/scratch", "tank"]);
  });

  it("escapes regex characters in names and keeps * within one segment", () => {
    const re = (glob: string) => new RegExp(`^${globToRegex(glob)}$`, "u");
    expect(re("a.b+(c)").test("a.b+(c)")).toBe(true);
    expect(re("a.b").test("axb")).toBe(false);
    expect(re("tank/*").test("tank/a/b")).toBe(false);
    expect(re("tank/**").test("tank/a/b")).toBe(true);
    expect(re("tank/**").test("tank")).toBe(false);
    expect(re("**/b").test("b")).toBe(true);
    expect(datasetPattern({ include: [], exclude: [], maxDepth: Number.NaN })).toBe(
      "^(?:[^/]+(?:/[^/]+){0,1})$",
    );
  });
});

describe("datasets group: odd input", () => {
  it.each([
    null,
    5,
    [],
    [null],
    [{}],
    [{ id: 7, pool: "tank", used: "x", available: { parsed: "NaN" }, quota: { parsed: 0 } }],
    [{ id: "tank/a", used: { parsed: 10 }, available: { parsed: 0 }, compressratio: { parsed: [] } }],
  ])("%j", (datasets) => {
    const ctx = { nas, version: parseVersion("25.10.0"), options: { datasets: DEFAULT } };
    for (const pools of [null, [{ name: "tank", guid: "1" }], [{ name: 5 }]]) {
      const snap = datasetsGroup.normalise({ pools, datasets }, ctx);
      for (const o of snap.objects) {
        for (const v of [...Object.values(o.doc), ...Object.values(o.attributes ?? {})])
          expect(v === undefined || Number.isNaN(v)).toBe(false);
        expect(o.doc.quota).toBeNull();
      }
    }
  });
});
