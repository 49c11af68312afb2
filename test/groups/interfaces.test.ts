import { pollGroup, type CallLog } from "../support/groupHarness.js";
import { describe, expect, it } from "vitest";
import { makeNasIdentity, NAS_DEVICE } from "../../src/entities/ids.js";
import { interfacesGroup, INTERFACE_FIELDS, linkSpeedMbps } from "../../src/groups/interfaces.js";
import { SimWorld } from "../../src/simulator/nas/world.js";
import type { SimVersion } from "../../src/simulator/types.js";
import { parseVersion } from "../../src/truenas/version.js";
import { publishCheck } from "../support/publishCheck.js";

type Calls = Array<{ method: string; params: readonly unknown[] }>;

const nas = makeNasIdentity({ hostId: "f3a9c2d1", hostname: "nas01" });
const options = { datasets: { include: [], exclude: [], maxDepth: 1 } };

const poll = (world: SimWorld, calls?: CallLog) => pollGroup(interfacesGroup, world, calls);

describe.each<SimVersion>(["25.10", "25.04.2", "25.04.0"])("interfaces group on %s", (version) => {
  it("shows link, speed and MTU per interface as the simulator has them", async () => {
    const world = new SimWorld({ profile: "typical", version });
    const snap = await poll(world);
    expect(snap.objects.map((o) => o.ref)).toEqual(
      world.state.interfaces.map((i) => ({ kind: "interface", id: i.id })),
    );
    expect(snap.objects.every((o) => o.device === NAS_DEVICE)).toBe(true);
    const [lan, spare] = snap.objects;
    const truth = world.state.interfaces[0]!;
    expect(lan!.doc).toEqual({
      name: "enp3s0",
      link_up: true,
      link_state: "link_state_up",
      link_speed: 2500,
      mtu: truth.state.mtu,
    });
    expect(lan!.attributes).toEqual({
      type: "physical",
      description: truth.description,
      link_address: truth.state.link_address,
      aliases: ["192.168.10.20/24", "fe80::aaa1:59ff:fe3c:52e1/64"],
      media: "2500Mb/s",
    });
    expect(spare!.doc).toMatchObject({ link_up: false, link_speed: null, mtu: 1500 });
    expect(spare!.attributes!.aliases).toEqual([]);
    expect(snap.entities.map((e) => e.name)).toEqual([
      "enp3s0 Link",
      "enp3s0 Link speed",
      "enp3s0 MTU",
      "enp4s0 Link",
      "enp4s0 Link speed",
      "enp4s0 MTU",
    ]);
  });

  it("asks for the shown fields only", async () => {
    const calls: Calls = [];
    await poll(new SimWorld({ profile: "typical", version }), calls);
    expect(calls).toEqual([{ method: "interface.query", params: [[], { select: INTERFACE_FIELDS }] }]);
  });

  it("publishes valid discovery on the NAS device", async () => {
    const check = publishCheck(nas, [await poll(new SimWorld({ profile: "typical", version }))]);
    expect(check.issues).toEqual([]);
    expect(check.problems).toEqual([]);
    expect(check.configs).toBe(6);
  });

  it("follows a link coming up (interface.query)", async () => {
    // The simulator has no control for link state (it only changes through CRUD events), so set the state.
    const world = new SimWorld({ profile: "typical", version });
    const spare = world.state.interfaces[1]!;
    spare.state = { ...spare.state, link_state: "LINK_STATE_UP", active_media_subtype: "10Gb/s" };
    const doc = (await poll(world)).objects[1]!.doc;
    expect(doc).toMatchObject({ link_up: true, link_speed: 10000 });
  });
});

describe("interfaces group: parsing and odd input", () => {
  it("parses link speeds", () => {
    expect(linkSpeedMbps("2500Mb/s")).toBe(2500);
    expect(linkSpeedMbps("10Gb/s")).toBe(10000);
    expect(linkSpeedMbps("100Mb/s <full-duplex>")).toBe(100);
    for (const odd of ["Unknown", "autoselect", "", null, 5, {}]) expect(linkSpeedMbps(odd)).toBeNull();
  });

  it.each([
    null,
    5,
    "x",
    [],
    [null],
    [{}],
    [{ id: 7, state: { link_state: "LINK_STATE_UNKNOWN", mtu: "NaN", aliases: "x" }, aliases: [null, 5] }],
    [{ name: "br0", state: null, aliases: [{ type: "INET", address: "10.0.0.1", netmask: {} }] }],
  ])("%j", (raw) => {
    const snap = interfacesGroup.normalise(raw, { nas, version: parseVersion("25.10.0"), options });
    for (const o of snap.objects) {
      for (const v of [...Object.values(o.doc), ...Object.values(o.attributes ?? {})])
        expect(v === undefined || Number.isNaN(v)).toBe(false);
      expect(o.doc.link_up).toBeNull();
    }
  });
});
