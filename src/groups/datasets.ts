/**
 * Datasets: `pool.dataset.query` (truenas-api.md §3.6) with `select` (no `children`: a flat list otherwise
 * repeats every subtree), a short `properties` list and one server-side `~` filter on the dataset name, so a
 * NAS with thousands of datasets sends only the ones we publish. Each dataset lives on its pool's device
 * (architecture.md), found through a small `pool.query` for pool name → guid.
 *
 * Which datasets (config `datasets`): depth 0 is a pool's root dataset (`tank`), 1 its direct children
 * (`tank/media`); without `include` every dataset down to `maxDepth` is published. A non-empty `include`
 * replaces the depth rule ("Empty = by depth", config schema): globs where `*` and `?` stay within a path
 * segment and `**` crosses segments. `exclude` always wins. The same pattern runs server-side (Python `re`,
 * `re.match`: filter_list.py `op_re`) and again here, in the JS subset both engines read alike.
 *
 * Events: `pool.dataset.query` (API create/update and ZFS destroy, §2.3).
 */
import { deviceKey } from "../entities/ids.js";
import {
  bindEntities,
  type EntitySpec,
  type EntityTemplate,
  type GroupSnapshot,
  type ObjectRef,
  type ObjectState,
} from "../entities/model.js";
import type { GroupDefinition, GroupOptions } from "./group.js";
import { bool, finite, list, num, obj, parsed, percent, str, type Obj } from "./values.js";

/** ZFS properties fetched (the default set is ~30 per dataset). `encryption`/`keystatus` bring `encrypted`/`locked`. */
export const DATASET_PROPERTIES = [
  "used",
  "available",
  "quota",
  "refquota",
  "usedbysnapshots",
  "compressratio",
  "compression",
  "mountpoint",
  "encryption",
  "keystatus",
];
export const DATASET_FIELDS = [
  "id",
  "type",
  "pool",
  "used",
  "available",
  "quota",
  "refquota",
  "usedbysnapshots",
  "compressratio",
  "compression",
  "mountpoint",
  "encrypted",
  "locked",
];

export interface DatasetsRaw {
  pools: unknown;
  datasets: unknown;
}

const bytes = (key: string, name: string, field: string) =>
  ({
    component: "sensor",
    key,
    name,
    field,
    deviceClass: "data_size",
    unit: "B",
    stateClass: "measurement",
    suggestedDisplayPrecision: 1,
  }) as const;

const TEMPLATES = [
  { ...bytes("used", "Used", "used"), attributes: { from: "attributes" } },
  bytes("available", "Available", "available"),
  {
    component: "sensor",
    key: "usage",
    name: "Usage",
    field: "usage_percent",
    numeric: true,
    unit: "%",
    stateClass: "measurement",
    icon: "mdi:chart-donut",
  },
  {
    component: "sensor",
    key: "compression_ratio",
    name: "Compression ratio",
    field: "compression_ratio",
    numeric: true,
    stateClass: "measurement",
    suggestedDisplayPrecision: 2,
    entityCategory: "diagnostic",
    icon: "mdi:zip-box-outline",
  },
] as const satisfies readonly EntityTemplate[];

/** Only for datasets with a quota: an unset quota parses to null (§3.6), not to a size worth a sensor. */
const QUOTA_TEMPLATES = [
  { ...bytes("quota", "Quota", "quota"), entityCategory: "diagnostic" },
] as const satisfies readonly EntityTemplate[];

const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

/** One glob as a regex body: `*`/`?` within a segment, `**` across (before a slash it also matches no segment). */
export function globToRegex(glob: string): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    if (glob.startsWith("**/", i)) {
      out += "(?:.*/)?";
      i += 3;
    } else if (glob.startsWith("**", i)) {
      out += ".*";
      i += 2;
    } else {
      const c = glob[i] as string;
      out += c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(REGEX_SPECIAL, "\\$&");
      i += 1;
    }
  }
  return out;
}

/**
 * The anchored pattern for the selected dataset names, valid in both Python `re` and JS (only `(?:)`, `(?!)`,
 * classes, `{m,n}` and escaped literals): `^(?!(?:excludes)$)(?:includes or depth)$`.
 */
export function datasetPattern(options: GroupOptions["datasets"]): string {
  const depth = Number.isFinite(options.maxDepth) ? Math.max(0, Math.floor(options.maxDepth)) : 1;
  const include = options.include.filter((p) => p !== "").map(globToRegex);
  const exclude = options.exclude.filter((p) => p !== "").map(globToRegex);
  const wanted = include.length > 0 ? include.join("|") : `[^/]+(?:/[^/]+){0,${depth}}`;
  const not = exclude.length > 0 ? `(?!(?:${exclude.join("|")})$)` : "";
  return `^${not}(?:${wanted})$`;
}

/** Depth-first name order keeps a pool's datasets together in HA's device page. */
const byName = (a: ObjectState, b: ObjectState): number =>
  a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0;

function datasetState(d: Obj, id: string, device: string): ObjectState {
  const used = num(parsed(d.used));
  const available = num(parsed(d.available));
  const quota = num(parsed(d.quota));
  const hasQuota = quota !== null && quota > 0;
  return {
    ref: { kind: "dataset", id },
    device,
    doc: {
      name: id,
      used,
      available,
      quota: hasQuota ? quota : null,
      // With a quota the dataset is full at the quota; otherwise at used + available (what `df` shows).
      usage_percent: hasQuota
        ? percent(used, quota)
        : used === null || available === null
          ? null
          : percent(used, finite(used + available)),
      compression_ratio: num(parsed(d.compressratio)),
    },
    attributes: {
      type: str(d.type),
      pool: str(d.pool),
      mountpoint: str(d.mountpoint),
      compression: str(parsed(d.compression)),
      refquota: num(parsed(d.refquota)),
      used_by_snapshots: num(parsed(d.usedbysnapshots)),
      encrypted: bool(d.encrypted),
      locked: bool(d.locked),
    },
  };
}

export const datasetsGroup: GroupDefinition<DatasetsRaw> = {
  name: "datasets",
  events: ["pool.dataset.query"],
  async fetch({ call, options }) {
    const [pools, datasets] = await Promise.all([
      call("pool.query", [[], { select: ["name", "guid"] }]),
      call("pool.dataset.query", [
        [["id", "~", datasetPattern(options.datasets)]],
        {
          select: DATASET_FIELDS,
          extra: { flat: true, properties: DATASET_PROPERTIES, retrieve_user_props: false },
        },
      ]),
    ]);
    return { pools, datasets };
  },
  normalise(input, { options }): GroupSnapshot {
    const raw = obj(input);
    const guids = new Map<string, string>();
    for (const entry of list(raw.pools)) {
      const p = obj(entry);
      const name = str(p.name);
      const guid = str(p.guid);
      if (name !== null && guid !== null) guids.set(name, guid);
    }
    let selected: RegExp | null = null;
    try {
      selected = new RegExp(datasetPattern(options.datasets), "u");
    } catch {
      // Patterns are escaped, so this cannot happen; if it did, trust the server-side filter.
    }
    const objects: ObjectState[] = [];
    const seen = new Set<string>();
    for (const entry of list(raw.datasets)) {
      const d = obj(entry);
      const id = str(d.id) ?? str(d.name);
      if (id === null || id === "" || seen.has(id) || (selected !== null && !selected.test(id))) continue;
      const pool = str(d.pool) ?? id.split("/")[0] ?? "";
      const guid = guids.get(pool);
      // A dataset of a pool we cannot place (pool.query raced an import) waits for the next poll.
      if (guid === undefined) continue;
      seen.add(id);
      objects.push(datasetState(d, id, deviceKey({ kind: "pool", id: guid })));
    }
    objects.sort(byName);
    const entities: EntitySpec[] = objects.flatMap((o) => {
      const ref: ObjectRef = o.ref;
      const templates = o.doc.quota === null ? TEMPLATES : [...TEMPLATES, ...QUOTA_TEMPLATES];
      return bindEntities(templates, ref, { namePrefix: ref.id });
    });
    return { group: "datasets", devices: [], objects, entities };
  },
};
