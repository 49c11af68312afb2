/**
 * nas01's 22 visible datasets (../shared/docs/truenas-samples/pool.dataset.query.select.json) plus the internal
 * ones TrueNAS hides (`.system`, `ix-apps`, `.ix-virt`, the boot pool's own datasets).
 */
import type { DatasetRecord } from "../datasets/records.js";
import type { ProfileContext } from "../state.js";
import { buildDatasets, type DatasetSpec } from "./buildDatasets.js";

type Row = [string, "F" | "V", number, number, number, string, number, number, 0 | 1];

/** name, type, used, available, usedbysnapshots, compressratio, quota, refquota, encrypted. */
const ROWS: readonly Row[] = [
  ["tank", "F", 13106178603089, 10346404417372, 524247144123, "1.03", 0, 0, 0],
  ["tank/media", "F", 9246892789596, 10346404417372, 369875711583, "1.00", 0, 0, 0],
  ["tank/media/movies", "F", 6300201627156, 10346404417372, 252008065086, "1.00", 0, 0, 0],
  ["tank/media/tv", "F", 2539871860162, 10346404417372, 101594874406, "1.00", 0, 0, 0],
  ["tank/media/music", "F", 406819302277, 10346404417372, 16272772091, "1.01", 0, 0, 0],
  ["tank/backups", "F", 1627277209108, 571746046444, 65091088364, "1.21", 2199023255552, 0, 0],
  ["tank/backups/laptop-alice", "F", 1011550697553, 571746046444, 40462027902, "1.24", 0, 0, 0],
  ["tank/backups/laptop-bob", "F", 615726511554, 571746046444, 24629060462, "1.17", 0, 0, 0],
  ["tank/home", "F", 780653255720, 10346404417372, 31226130228, "1.35", 0, 0, 1],
  ["tank/home/alice", "F", 483785116221, 53085795779, 19351404648, "1.41", 0, 536870912000, 1],
  ["tank/home/bob", "F", 296868139499, 240002772501, 11874725579, "1.28", 0, 536870912000, 1],
  ["tank/share", "F", 912594651054, 10346404417372, 36503786042, "1.09", 0, 0, 0],
  ["tank/vms", "F", 538760697610, 10346404417372, 21550427904, "1.00", 0, 0, 0],
  ["tank/vms/win11", "V", 538760697610, 10346404417372, 21550427904, "1.00", 0, 0, 0],
  ["fast", "F", 305490286346, 660104261140, 12219611453, "1.42", 0, 0, 0],
  ["fast/appdata", "F", 103208064122, 660104261140, 4128322564, "1.55", 0, 0, 0],
  ["fast/appdata/plex", "F", 66249870540, 660104261140, 2649994821, "1.48", 0, 0, 0],
  ["fast/appdata/nextcloud", "F", 33522219745, 660104261140, 1340888789, "1.71", 0, 0, 0],
  ["fast/appdata/home-assistant", "F", 3435973836, 660104261140, 137438953, "2.10", 0, 0, 0],
  ["fast/vms", "F", 172314087915, 660104261140, 6892563516, "1.00", 0, 0, 0],
  ["fast/vms/debian12", "V", 172314087915, 660104261140, 6892563516, "1.00", 0, 0, 0],
  ["fast/scratch", "F", 27788438405, 660104261140, 1111537536, "1.31", 0, 0, 0],
];

/** Per-dataset extras: the sample's full alice entry, volume sizes, a comment, snapshot counts. */
const EXTRA: Readonly<Record<string, Partial<DatasetSpec>>> = {
  tank: { explicit: true, snapshotCount: 0 },
  fast: { explicit: true },
  "tank/home": { explicit: true, encryptionRoot: true, snapshotCount: 336 },
  "tank/home/alice": { usedbychildren: 290271069732, usedbydataset: 174162641839, snapshotCount: 336 },
  "tank/home/bob": { snapshotCount: 336 },
  "tank/share": { userProps: { "org.freenas:description": "Family share" } },
  "tank/vms/win11": { volsize: 536870912000 },
  "fast/vms/debian12": { volsize: 171798691840 },
  "fast/appdata": { snapshotCount: 30 },
};

/** The sample's creation time for tank/home/alice; the others are spaced out before it. */
const ALICE_CREATED_MS = 1727619600000;

const HIDDEN: ReadonlyArray<[string, number]> = [
  ["tank/.system", 2147483648],
  ["tank/.system/cores", 1048576],
  ["fast/ix-apps", 21474836480],
  ["fast/ix-apps/app_mounts", 1073741824],
  ["fast/.ix-virt", 6442450944],
  ["boot-pool", 4127194112],
  ["boot-pool/ROOT", 4026531840],
];

export function typicalDatasets(ctx: ProfileContext): DatasetRecord[] {
  const created = (i: number): number =>
    Math.floor(ctx.at(ALICE_CREATED_MS - (ROWS.length - i) * 86_400_000).getTime() / 1000);
  const specs: DatasetSpec[] = ROWS.map(([name, t, used, available, snaps, ratio, quota, refquota], i) => ({
    name,
    type: t === "V" ? "VOLUME" : "FILESYSTEM",
    used,
    available,
    usedbysnapshots: snaps,
    compressratio: ratio,
    creation: name === "tank/home/alice" ? Math.floor(ctx.at(ALICE_CREATED_MS).getTime() / 1000) : created(i),
    ...(quota ? { quota } : {}),
    ...(refquota ? { refquota } : {}),
    ...EXTRA[name],
  }));
  // Listing order is the tree's, so internal datasets can simply follow (parents first).
  for (const [name, used] of HIDDEN)
    specs.push({ name, used, available: 236390974464, creation: created(0) });
  return buildDatasets(specs);
}
