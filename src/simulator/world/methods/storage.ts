/**
 * Storage queries: `pool.query` (`extra.is_upgraded`), `boot.get_state` (the boot pool without `id`/`guid`),
 * `pool.dataset.query` (datasets/query.ts) and `disk.query` (`extra.pools`, `extra.include_expired`; 25.04's
 * S.M.A.R.T. columns) (truenas-api.md §3.5-3.9).
 */
import { boolArg, maxArgs, queryArgs, runQuery } from "../args.js";
import { datasetQuery } from "../datasets/query.js";
import type { WireObject } from "../model.js";
import type { DiskRecord, WorldContext } from "../state.js";
import type { MethodTable } from "./system.js";

function poolQuery(ctx: WorldContext, params: unknown[]): unknown {
  const q = queryArgs(params);
  const upgraded = boolArg(q.extra.is_upgraded, "options.extra.is_upgraded", false);
  const rows = ctx.state.pools.map((p) => {
    const entry = structuredClone(p.entry);
    if (upgraded) entry.is_upgraded = p.isUpgraded;
    return entry;
  });
  return runQuery(rows, q);
}

function bootState(ctx: WorldContext): WireObject {
  const { id: _id, guid: _guid, name, status, path, scan, expand, ...rest } = structuredClone(ctx.state.boot);
  return { name, status, path, scan, expand, is_upgraded: false, ...rest };
}

/** A disk row in the release's shape (25.04 keeps togglesmart, smartoptions, critical... and supports_smart). */
export function renderDisk(ctx: WorldContext, disk: DiskRecord, withPool: boolean): WireObject {
  const e = disk.entry;
  const pool = withPool ? e.pool : null;
  if (ctx.version === "25.10") return { ...structuredClone(e), pool };
  const s = disk.smart;
  return {
    identifier: e.identifier,
    name: e.name,
    subsystem: e.subsystem,
    number: e.number,
    serial: e.serial,
    lunid: e.lunid,
    size: e.size,
    description: e.description,
    transfermode: e.transfermode,
    hddstandby: e.hddstandby,
    togglesmart: s.togglesmart,
    advpowermgmt: e.advpowermgmt,
    smartoptions: s.smartoptions,
    expiretime: e.expiretime && new Date(e.expiretime),
    critical: s.critical,
    difference: s.difference,
    informational: s.informational,
    model: e.model,
    rotationrate: e.rotationrate,
    type: e.type,
    zfs_guid: e.zfs_guid,
    bus: e.bus,
    devname: e.devname,
    enclosure: structuredClone(e.enclosure),
    pool,
    supports_smart: null,
  };
}

function diskQuery(ctx: WorldContext, params: unknown[]): unknown {
  const q = queryArgs(params);
  const withPool = boolArg(q.extra.pools, "options.extra.pools", false);
  const expired = boolArg(q.extra.include_expired, "options.extra.include_expired", false);
  const rows = ctx.state.disks
    .filter((d) => expired || d.entry.expiretime === null)
    .map((d) => renderDisk(ctx, d, withPool));
  return runQuery(rows, q);
}

export function storageMethods(ctx: WorldContext): MethodTable {
  const deps = () => ({
    store: ctx.state.datasets,
    version: ctx.version,
    timeZone: ctx.state.system.info.timezone,
  });
  return [
    ["pool.query", (params) => poolQuery(ctx, params)],
    [
      "boot.get_state",
      (params) => {
        maxArgs(params, 0);
        return bootState(ctx);
      },
    ],
    ["pool.dataset.query", (params) => datasetQuery(deps(), params)],
    ["disk.query", (params) => diskQuery(ctx, params)],
  ];
}
