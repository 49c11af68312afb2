/**
 * The method table of the simulated NAS, per TrueNAS flavour (truenas-api.md §3.1): which names exist, their
 * argument shapes, their `extra` options, and the query engine (filters.ts) over the world's state.
 */
import { queryList } from "../filters.js";
import { SimValidationError } from "../rpcErrors.js";
import type { MethodHandler } from "../types.js";
import { datasetQueryOptions, datasetRows } from "./datasets.js";
import { expectArgs, queryArgs, stringList } from "./args.js";
import { netdataGetData, netdataGraphs } from "./reporting.js";
import type { Row } from "./sampleData.js";
import { is2504, type NasState } from "./state.js";

type Table = Map<string, MethodHandler>;

function query(rows: (options: Row, filters: unknown) => Row[]): MethodHandler {
  return (params) => {
    const { filters, options } = queryArgs(params);
    return queryList(rows(options, filters), filters, options);
  };
}

function plain(fn: (params: unknown[]) => unknown, maxArgs = 0): MethodHandler {
  return (params) => {
    expectArgs(params, maxArgs);
    return fn(params);
  };
}

function systemMethods(t: Table, s: () => NasState): void {
  t.set(
    "system.info",
    plain(() => s().info),
  );
  t.set(
    "system.ready",
    plain(() => s().ready),
  );
  t.set(
    "system.state",
    plain(() => (s().ready ? "READY" : "BOOTING")),
  );
  t.set(
    "system.version",
    plain(() => `TrueNAS-${String(s().info.version)}`),
  );
  t.set(
    "system.version_short",
    plain(() => s().info.version),
  );
  t.set(
    "system.host_id",
    plain(() => "f3a9c2d1e4b5a6978877665544332211"),
  );
  t.set(
    "system.boot_id",
    plain(() => s().bootId),
  );
}

function updateMethods(t: Table, s: () => NasState): void {
  if (is2504(s().version)) {
    t.set(
      "update.check_available",
      plain(() => {
        const next = s().updateAvailable;
        if (!next) return { status: "UNAVAILABLE" };
        const current = String(s().info.version);
        return {
          status: "AVAILABLE",
          changes: [
            {
              operation: "upgrade",
              old: { name: "TrueNAS", version: current },
              new: { name: "TrueNAS", version: next },
            },
          ],
          notice: null,
          notes: null,
          release_notes_url: `https://www.truenas.com/docs/scale/25.04/gettingstarted/scalereleasenotes/#${next.replace(/\./g, "")}`,
          changelog: "Bug fixes and security updates.",
          version: next,
          filename: `TrueNAS-SCALE-${next}.update`,
          filesize: 1_638_400_000,
          checksum: "0".repeat(64),
        };
      }, 1),
    );
    return;
  }
  t.set(
    "update.status",
    plain(() => updateStatus(s())),
  );
}

/** 25.10 `update.status`: always succeeds, errors inside the result (truenas-api.md §3.4). */
export function updateStatus(state: NasState): Row {
  const next = state.updateAvailable;
  return {
    code: "NORMAL",
    error: null,
    status: {
      current_version: { train: "TrueNAS-SCALE-Goldeye", profile: "GENERAL", matches_profile: true },
      new_version: next
        ? {
            version: next,
            manifest: { filename: `TrueNAS-SCALE-${next}.update`, version: next, profile: "GENERAL" },
            release_notes: null,
            release_notes_url: `https://www.truenas.com/docs/scale/25.10/gettingstarted/scalereleasenotes/#${next.replace(/\./g, "")}`,
          }
        : null,
    },
    update_download_progress: null,
  };
}

function storageMethods(t: Table, s: () => NasState): void {
  t.set(
    "pool.query",
    query((o) =>
      s().pools.map((p) => ((o.extra as Row | undefined)?.is_upgraded ? { ...p, is_upgraded: true } : p)),
    ),
  );
  t.set(
    "boot.get_state",
    plain(() => s().boot),
  );
  t.set(
    "pool.dataset.query",
    query((o, filters) => {
      const opts = datasetQueryOptions(o, Array.isArray(filters) && filters.length > 0);
      return datasetRows(s().datasets, opts, s().version);
    }),
  );
  t.set(
    "disk.query",
    query((o) => {
      const extra = (o.extra ?? {}) as Row;
      const rows = extra.include_expired ? [...s().disks, ...s().expiredDisks] : s().disks;
      return extra.pools ? rows : rows.map((d) => ({ ...d, pool: null }));
    }),
  );
}

function temperatureMethods(t: Table, s: () => NasState): void {
  const pick = (names: string[]): [string, number | null][] =>
    Object.entries(s().temperatures).filter(([n]) => names.length === 0 || names.includes(n));
  if (is2504(s().version)) {
    t.set("disk.temperatures", (params) => {
      expectArgs(params, 2);
      const names = stringList(params[0], "names");
      if (
        params[1] !== undefined &&
        (typeof params[1] !== "object" || params[1] === null || Array.isArray(params[1]))
      ) {
        throw new SimValidationError([["options", "Input should be a valid dictionary", 22]]);
      }
      return Object.fromEntries(pick(names).map(([n, v]) => [n, v === null ? null : Math.round(v)]));
    });
    t.set("disk.temperature", (params) => {
      expectArgs(params, 2);
      const name = String(params[0]);
      const v = s().temperatures[name];
      return v === undefined || v === null ? null : Math.round(v);
    });
  } else {
    t.set("disk.temperatures", (params) => {
      expectArgs(params, 2);
      const names = stringList(params[0], "names");
      const thresholds = params[1] ?? false;
      if (typeof thresholds !== "boolean")
        throw new SimValidationError([["include_thresholds", "Input should be a valid boolean", 22]]);
      return Object.fromEntries(
        pick(names).map(([n, v]) => [n, thresholds ? [v, s().critTemperatures[n] ?? 60] : v]),
      );
    });
  }
  t.set("disk.temperature_agg", (params) => {
    expectArgs(params, 2);
    const names = stringList(params[0], "names");
    return Object.fromEntries(
      pick(names).map(([n, v]) => [
        n,
        { min: v === null ? null : v - 3, max: v === null ? null : v + 4, avg: v },
      ]),
    );
  });
  t.set("disk.temperature_alerts", (params) => {
    expectArgs(params, 1);
    const names = new Set(stringList(params[0], "names").map((n) => `/dev/${n}`));
    const klass = is2504(s().version) ? "SMART" : "DiskTemperatureTooHot";
    return s().alerts.filter((a) => a.klass === klass && names.has(String((a.args as Row | null)?.device)));
  });
}

function serviceAndVirtMethods(t: Table, s: () => NasState): void {
  t.set(
    "interface.query",
    query(() => s().interfaces),
  );
  t.set(
    "service.query",
    query((o) =>
      (o.extra as Row | undefined)?.include_state === false
        ? s().services.map((r) => ({ ...r, state: "UNKNOWN", pids: [] }))
        : s().services,
    ),
  );
  if (s().version !== "25.04.0")
    t.set(
      "vm.query",
      query(() => s().vms),
    );
  t.set(
    "virt.instance.query",
    query(() => s().instances),
  );
  t.set(
    "app.query",
    query(() => s().apps),
  );
}

function taskMethods(t: Table, s: () => NasState): void {
  t.set(
    "cloudsync.query",
    query(() => s().cloudsync),
  );
  t.set(
    "replication.query",
    query((o) => {
      const keep = !is2504(s().version) || (o.extra as Row | undefined)?.check_dataset_encryption_keys;
      return keep ? s().replication : s().replication.map(({ has_encrypted_dataset_keys: _x, ...r }) => r);
    }),
  );
  t.set(
    "pool.snapshottask.query",
    query(() => s().snapshottasks),
  );
  t.set(
    "core.get_jobs",
    query(() => s().jobs),
  );
  t.set(
    "alert.list",
    plain(() => s().alerts),
  );
}

function reportingMethods(t: Table, s: () => NasState, now: () => number): void {
  const getData: MethodHandler = (params) => {
    expectArgs(params, 2);
    return netdataGetData(s(), params, now());
  };
  t.set("reporting.netdata_get_data", getData);
  t.set("reporting.get_data", getData);
  const graphs = query(() => netdataGraphs(s()));
  t.set("reporting.netdata_graphs", graphs);
  t.set("reporting.graphs", graphs);
}

/** Every read method of this NAS's version (job methods are added by the world). */
export function readMethods(state: () => NasState, now: () => number): Table {
  const t: Table = new Map();
  systemMethods(t, state);
  updateMethods(t, state);
  storageMethods(t, state);
  temperatureMethods(t, state);
  serviceAndVirtMethods(t, state);
  taskMethods(t, state);
  reportingMethods(t, state, now);
  return t;
}
