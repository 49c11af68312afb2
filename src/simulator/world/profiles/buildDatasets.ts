/**
 * Dataset records from compact specs: space accounting derived the way ZFS reports it (`usedbychildren` is the
 * children's `used`, `usedbydataset` the rest after snapshots), TrueNAS's create-time locals on the datasets it
 * created, encryption inherited from the encryption root.
 */
import {
  TRUENAS_CREATE_LOCALS,
  parentName,
  type DatasetRecord,
  type DatasetType,
} from "../datasets/records.js";

export interface DatasetSpec {
  name: string;
  type?: DatasetType;
  used: number;
  available: number;
  usedbysnapshots?: number;
  compressratio?: string;
  /** Creation, epoch seconds. */
  creation: number;
  quota?: number;
  refquota?: number;
  /** Zvols: volume size in bytes. */
  volsize?: number;
  /** Marks an encryption root (children inherit it). */
  encryptionRoot?: boolean;
  keyLoaded?: boolean;
  /** Set TrueNAS's create-time properties locally (pool roots and datasets made in the UI with options). */
  explicit?: boolean;
  local?: Record<string, string>;
  userProps?: Record<string, string>;
  snapshotCount?: number;
  /** Override derived space values (the samples' figures are not all consistent with each other). */
  usedbychildren?: number;
  usedbydataset?: number;
}

const VOLUME_LOCAL_KEYS = [
  "checksum",
  "compression",
  "copies",
  "deduplication",
  "readonly",
  "snapdev",
  "sync",
];

function localsFor(spec: DatasetSpec): Record<string, string> {
  const local: Record<string, string> = {};
  if (spec.explicit) {
    for (const [k, v] of Object.entries(TRUENAS_CREATE_LOCALS)) {
      if (spec.type !== "VOLUME" || VOLUME_LOCAL_KEYS.includes(k)) local[k] = v;
    }
  }
  if (spec.quota) local.quota = String(spec.quota);
  if (spec.refquota) local.refquota = String(spec.refquota);
  if (spec.volsize) local.volsize = String(spec.volsize);
  return { ...local, ...spec.local };
}

export function buildDatasets(specs: readonly DatasetSpec[]): DatasetRecord[] {
  const childUsed = new Map<string, number>();
  for (const s of specs) {
    const parent = parentName(s.name);
    if (parent !== null) childUsed.set(parent, (childUsed.get(parent) ?? 0) + s.used);
  }
  const cryptoRoots = new Map<string, boolean>();
  return specs.map((s) => {
    if (s.encryptionRoot) cryptoRoots.set(s.name, s.keyLoaded ?? true);
    const root = [...cryptoRoots.keys()].find((r) => s.name === r || s.name.startsWith(`${r}/`));
    const snaps = s.usedbysnapshots ?? 0;
    const children = s.usedbychildren ?? childUsed.get(s.name) ?? 0;
    return {
      name: s.name,
      type: s.type ?? "FILESYSTEM",
      pool: s.name.split("/")[0] as string,
      space: {
        used: s.used,
        available: s.available,
        usedbychildren: children,
        usedbydataset: s.usedbydataset ?? Math.max(0, s.used - snaps - children),
        usedbyrefreservation: 0,
        usedbysnapshots: snaps,
      },
      compressratio: s.compressratio ?? "1.00",
      creation: s.creation,
      local: localsFor(s),
      crypto:
        root === undefined
          ? null
          : { algorithm: "aes-256-gcm", keyFormat: "hex", root, keyLoaded: cryptoRoots.get(root) ?? true },
      userProps: { ...s.userProps },
      snapshotCount: s.snapshotCount ?? 0,
    };
  });
}
