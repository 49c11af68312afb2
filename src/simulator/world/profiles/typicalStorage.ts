/**
 * nas01's storage, value for value from ../shared/docs/truenas-samples (disk.query, pool.query,
 * boot.get_state, pool.dataset.query*): sda holds boot-pool, sdb-sdf are the RAIDZ2 `tank`, the two NVMe drives
 * mirror `fast` (4 checksum errors on nvme1n1, a scrub 41 % through).
 */
import type { PoolEntry } from "../model.js";
import type { DiskRecord, PoolRecord, ProfileContext } from "../state.js";
import {
  bootLeaf,
  emptyTopology,
  groupVdev,
  leafVdev,
  makeDisk,
  makePool,
  type DiskSpec,
} from "./buildStorage.js";

const WD = {
  size: 8001563222016,
  model: "WDC WD80EFZZ-68BTXN0",
  type: "HDD",
  rotationrate: 5400,
  bus: "ATA",
} as const;
const PRO = { size: 1000204886016, model: "Samsung SSD 980 PRO 1TB", type: "SSD", bus: "NVME" } as const;

/** Disk, data-partition uuid and vdev guid (= the disk's `zfs_guid`). */
const TYPICAL_DISKS: ReadonlyArray<DiskSpec & { pool: string; partuuid?: string }> = [
  {
    name: "sda",
    serial: "S6PENL0T412873B",
    lunid: "5002538f43a1b2c4",
    size: 250059350016,
    model: "Samsung SSD 870 EVO 250GB",
    type: "SSD",
    bus: "ATA",
    number: 0,
    zfsGuid: "9138472615034918271",
    temp: 33,
    pool: "boot-pool",
  },
  {
    name: "sdb",
    serial: "WD-CA0AB1C1",
    lunid: "5000cca0bc1234a1",
    ...WD,
    number: 16,
    zfsGuid: "13874629105527381940",
    temp: 36,
    pool: "tank",
    partuuid: "22d52194-4584-59fc-a3bb-c59746aeefab",
  },
  {
    name: "sdc",
    serial: "WD-CA0AB2D7",
    lunid: "5000cca0bc1234b2",
    ...WD,
    number: 32,
    zfsGuid: "2291837465019283746",
    temp: 37,
    pool: "tank",
    partuuid: "997425fe-d9c2-568f-a9d4-638b02d19963",
  },
  {
    name: "sdd",
    serial: "WD-CA0AB3E2",
    lunid: "5000cca0bc1234c3",
    ...WD,
    number: 48,
    zfsGuid: "17263548190273645512",
    temp: 36,
    pool: "tank",
    partuuid: "385420e2-d03e-5c56-aeec-04dc2bc3eb59",
  },
  {
    name: "sde",
    serial: "WD-CA0AB4F9",
    lunid: "5000cca0bc1234d4",
    ...WD,
    number: 64,
    zfsGuid: "6618290374651928374",
    temp: 38,
    pool: "tank",
    partuuid: "cbd7e176-6ef7-58af-809e-d213a3eb1a65",
  },
  {
    name: "sdf",
    serial: "WD-CA0AB5A3",
    lunid: "5000cca0bc1234e5",
    ...WD,
    number: 80,
    zfsGuid: "11029384756102938475",
    temp: 37,
    pool: "tank",
    partuuid: "57669c1a-862d-5d6a-b205-acd0a534277c",
  },
  {
    name: "nvme0n1",
    serial: "S5GXNF0T301122K",
    ...PRO,
    number: 0,
    zfsGuid: "4471920385716283940",
    temp: 44,
    pool: "fast",
    partuuid: "34825180-9453-5dde-bf82-b4b53a00fac7",
  },
  {
    name: "nvme1n1",
    serial: "S5GXNF0T301187M",
    ...PRO,
    number: 1,
    zfsGuid: "15820394857162038475",
    temp: 46,
    pool: "fast",
    partuuid: "726e5970-91e1-5d74-bd22-db239a1393bf",
  },
];

export function typicalDisks(): DiskRecord[] {
  return TYPICAL_DISKS.map((d) => makeDisk(d, d.pool));
}

function members(disks: DiskRecord[], pool: string, checksumErrors: Record<string, number> = {}) {
  return TYPICAL_DISKS.filter((d) => d.pool === pool).map((d) => {
    const disk = disks.find((r) => r.entry.name === d.name) as DiskRecord;
    return leafVdev({
      disk,
      partuuid: d.partuuid ?? "",
      guid: d.zfsGuid ?? "",
      checksumErrors: checksumErrors[d.name] ?? 0,
    });
  });
}

export function typicalPools(ctx: ProfileContext, disks: DiskRecord[]): PoolRecord[] {
  const tankTopology = emptyTopology();
  tankTopology.data.push(
    groupVdev("RAIDZ2", 0, "8183746529018374650", members(disks, "tank"), 39955022233600, 17934729883648, 3),
  );
  const tank = makePool({
    id: 1,
    name: "tank",
    guid: "16518270468734211597",
    topology: tankTopology,
    size: 39955022233600,
    allocated: 17934729883648,
    fragmentation: 3,
    statusCode: "FEAT_DISABLED",
    scanRate: 778_440_000,
    scan: {
      function: "SCRUB",
      state: "FINISHED",
      start_time: ctx.at(1761578400000),
      end_time: ctx.at(1761601422000),
      percentage: 99.99862,
      bytes_to_process: 17921038123008,
      bytes_processed: 17921285472256,
      bytes_issued: 17921038123008,
      pause: null,
      errors: 0,
      total_secs_left: null,
    },
  });
  const fastTopology = emptyTopology();
  fastTopology.data.push(
    groupVdev(
      "MIRROR",
      0,
      "3392817465019283711",
      members(disks, "fast", { nvme1n1: 4 }),
      996432412672,
      312839847936,
      9,
    ),
  );
  const fast = makePool({
    id: 2,
    name: "fast",
    guid: "4920381179284521760",
    topology: fastTopology,
    size: 996432412672,
    allocated: 312839847936,
    fragmentation: 9,
    statusCode: "CORRUPT_DATA",
    // Examined bytes left over the sample's total_secs_left (598 s).
    scanRate: 307_168_245,
    scan: {
      function: "SCRUB",
      state: "SCANNING",
      start_time: ctx.at(1762179180000),
      end_time: null,
      percentage: 41.27,
      bytes_to_process: 129114927104,
      bytes_processed: 312801538048,
      bytes_issued: 129098344448,
      pause: null,
      errors: 0,
      total_secs_left: 598,
    },
  });
  return [tank, fast];
}

export function typicalBoot(ctx: ProfileContext, disks: DiskRecord[]): PoolEntry {
  const sda = disks.find((d) => d.entry.name === "sda") as DiskRecord;
  const topology = emptyTopology();
  const leaf = bootLeaf(sda, "9138472615034918271", 240518168576, 4127194112);
  leaf.stats.ops = [0, 92811, 401283, 0, 0, 1022, 0];
  leaf.stats.bytes = [0, 2810384384, 9182736384, 0, 0, 0, 0];
  topology.data.push(leaf);
  const boot = makePool({
    id: 0,
    name: "boot-pool",
    guid: "7302195816102203994",
    topology,
    size: 240518168576,
    allocated: 4127194112,
    fragmentation: 1,
    statusCode: "OK",
    scan: {
      function: "SCRUB",
      state: "FINISHED",
      start_time: ctx.at(1761736800000),
      end_time: ctx.at(1761736841000),
      percentage: 99.98,
      bytes_to_process: 4121931776,
      bytes_processed: 4127194112,
      bytes_issued: 4121931776,
      pause: null,
      errors: 0,
      total_secs_left: null,
    },
  }).entry;
  boot.path = "/";
  return boot;
}
