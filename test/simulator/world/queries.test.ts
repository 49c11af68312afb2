/**
 * Method-specific `options.extra` handled before filtering (truenas-api.md §3), and query options working over
 * the world's rows (dates as Date, so `.$date` filters apply).
 */
import { describe, expect, it } from "vitest";
import type { SimVersion } from "../../../src/simulator/types.js";
import { SimWorld } from "../../../src/simulator/world/world.js";
import { SAMPLE_NOW_MS, callError, callWire } from "./helpers.js";

const world = (version: SimVersion = "25.10") =>
  new SimWorld({ profile: "typical", version, now: () => SAMPLE_NOW_MS });

describe("extra options", () => {
  it("pool.query: is_upgraded only when asked", () => {
    expect(callWire(world(), "pool.query")[0]).not.toHaveProperty("is_upgraded");
    const rows = callWire(world(), "pool.query", [
      [],
      { select: ["name", "is_upgraded"], extra: { is_upgraded: true } },
    ]);
    expect(rows).toEqual([
      { name: "tank", is_upgraded: false },
      { name: "fast", is_upgraded: true },
    ]);
  });

  it("disk.query: pool is null without extra.pools", () => {
    expect(
      callWire(world(), "disk.query", [[], { select: ["pool"] }]).every((d: any) => d.pool === null),
    ).toBe(true);
  });

  it("service.query: include_state false reports UNKNOWN without pids", () => {
    const [cifs] = callWire(world(), "service.query", [[], { extra: { include_state: false } }]);
    expect(cifs).toEqual({ id: 4, service: "cifs", enable: true, state: "UNKNOWN", pids: [] });
  });

  it("interface.query: retrieve_names_only", () => {
    expect(callWire(world(), "interface.query", [[], { extra: { retrieve_names_only: true } }])).toEqual([
      { name: "enp3s0" },
      { name: "enp4s0" },
    ]);
  });

  it("app.query: retrieve_config and include_app_schema add their keys", () => {
    const [plex] = callWire(world(), "app.query", [
      [],
      { extra: { retrieve_config: true, include_app_schema: true } },
    ]);
    expect(plex.config).toMatchObject({ TZ: "Europe/Berlin" });
    expect(plex.version_details).toMatchObject({ name: "plex", version: "1.2.14" });
    expect(callWire(world(), "app.query")[0]).not.toHaveProperty("config");
  });

  it("update.check_available: an unknown train is ENOENT", () => {
    expect(callError(world("25.04.0"), "update.check_available", [{ train: "Nope" }]).data.errname).toBe(
      "ENOENT",
    );
    expect(
      callWire(world("25.04.0"), "update.check_available", [{ train: "TrueNAS-SCALE-Fangtooth" }]).status,
    ).toBe("AVAILABLE");
  });
});

describe("query options over world rows", () => {
  it("datetime filters with .$date, order_by, count and get", () => {
    const w = world();
    const recent = callWire(w, "core.get_jobs", [
      [["time_started.$date", ">", "2025-11-03T14:00:00"]],
      { select: ["id"], order_by: ["-id"] },
    ]);
    expect(recent).toEqual([{ id: 423 }, { id: 421 }, { id: 418 }]);
    expect(callWire(w, "app.query", [[["state", "=", "RUNNING"]], { count: true }])).toBe(2);
    expect(callWire(w, "vm.query", [[["name", "=", "win11"]], { get: true, select: ["id"] }])).toEqual({
      id: 1,
    });
    expect(callError(w, "vm.query", [[["name", "=", "nope"]], { get: true }]).data.reason).toBe(
      "MatchNotFound()",
    );
  });

  it("results are copies: changing them does not change the world", () => {
    const w = world();
    const [pool] = w.call("pool.query") as Array<{ name: string }>;
    (pool as { name: string }).name = "changed";
    expect(callWire(w, "pool.query")[0].name).toBe("tank");
  });
});
