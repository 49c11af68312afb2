/**
 * nas01's host: system.info, update state per release, the two NICs, the service table and the telemetry the
 * realtime sample shows (../shared/docs/truenas-samples/system.info.json, interface.query.json,
 * service.query.json, events/reporting.realtime.event*.json).
 */
import type { MetricsInit } from "../metrics.js";
import type { InterfaceEntry, ServiceEntry } from "../model.js";
import type { ProfileContext, SystemRecord, UpdateRecord } from "../state.js";
import { makeInterface, makeService } from "./buildSystem.js";

/** The instant the samples were taken (system.info `datetime`). */
export const SAMPLE_NOW_MS = 1762179600000;

export function typicalSystem(ctx: ProfileContext): SystemRecord {
  return {
    info: {
      buildtime: new Date(1760650000000),
      hostname: "nas01",
      physmem: 67353509888,
      model: "AMD Ryzen 7 5700G with Radeon Graphics",
      cores: 16,
      physical_cores: 8,
      system_serial: "M80-F7013400512",
      system_product: "B550M Pro4",
      system_product_version: null,
      license: null,
      timezone: "Europe/Berlin",
      system_manufacturer: "ASRock",
      ecc_memory: true,
    },
    bootMs: ctx.at(1761131153000).getTime(),
    uptimeSkewMs: 532.118,
    bootId: "6d1c1f3a-1b2c-4d5e-8f90-0a1b2c3d4e5f",
    hostId: "4f5e9c2b7a1d3e8f6c0b9a2d4e7f1c3b5a8d0e2f4c6b8a1d3e5f7c9b2a4d6e8f",
    state: "READY",
  };
}

/** 25.10 sees 25.10.1; 25.04.0 sees 25.04.2.6; 25.04.2.6 is the newest 25.04 and sees nothing. */
export function typicalUpdate(ctx: ProfileContext): UpdateRecord {
  const available = { "25.10": "25.10.1", "25.04.2": null, "25.04.0": "25.04.2.6" }[ctx.version];
  return {
    available,
    error: null,
    download: null,
    train: ctx.version === "25.10" ? "TrueNAS-SCALE-Goldeye" : "TrueNAS-SCALE-Fangtooth",
    profile: "GENERAL",
  };
}

export function typicalInterfaces(): InterfaceEntry[] {
  return [
    makeInterface({
      name: "enp3s0",
      mac: "a8:a1:59:3c:52:e1",
      up: true,
      speed: "2500Mb/s",
      ipv4: { address: "192.168.10.20", netmask: 24 },
      description: "LAN",
    }),
    makeInterface({ name: "enp4s0", mac: "a8:a1:59:3c:52:e2", up: false, dhcp: true }),
  ];
}

/** Rows of both releases; the world drops smartd on 25.10 and nvmet on 25.04. */
export function typicalServices(): ServiceEntry[] {
  return [
    makeService("cifs", true, [2841, 2903, 2904]),
    makeService("ftp", false, null),
    makeService("iscsitarget", false, null),
    makeService("nfs", true, [3102, 3107, 3110]),
    makeService("snmp", false, null),
    makeService("ssh", true, [1988]),
    makeService("smartd", true, [1402]),
    makeService("ups", false, null),
    makeService("nvmet", false, null),
  ];
}

export function typicalMetrics(): MetricsInit {
  return {
    cpu: {
      aggregate: { usage: 7.92, temp: 46.5 },
      cores: [
        { usage: 6.0, temp: 46.0 },
        { usage: 11.22, temp: 46.0 },
        { usage: 4.08, temp: 47.0 },
        { usage: 9.9, temp: 47.0 },
      ],
    },
    load: [0.42, 0.55, 0.61],
    memory: {
      arc_size: 24696061952,
      arc_free_memory: 3221225472,
      arc_available_memory: 8589934592,
      physical_memory_total: 67353509888,
      physical_memory_available: 41234567168,
    },
    zfs: {
      demand_accesses_per_second: 812,
      demand_data_accesses_per_second: 530,
      demand_metadata_accesses_per_second: 282,
      demand_data_hits_per_second: 511,
      demand_data_io_hits_per_second: 3,
      demand_data_misses_per_second: 16,
      demand_data_hit_percentage: 96,
      demand_data_io_hit_percentage: 1,
      demand_data_miss_percentage: 3,
      demand_metadata_hits_per_second: 280,
      demand_metadata_io_hits_per_second: 0,
      demand_metadata_misses_per_second: 2,
      demand_metadata_hit_percentage: 99,
      demand_metadata_io_hit_percentage: 0,
      demand_metadata_miss_percentage: 1,
      l2arc_hits_per_second: 0,
      l2arc_misses_per_second: 0,
      total_l2arc_accesses_per_second: 0,
      l2arc_access_hit_percentage: 0,
      l2arc_miss_percentage: 0,
      bytes_read_per_second_from_the_l2arc: 0,
      bytes_written_per_second_to_the_l2arc: 0,
    },
    disks: { read_ops: 38, read_bytes: 4718592, write_ops: 121, write_bytes: 9437184, busy: 4.2 },
    interfaces: { enp3s0: { rx: 101552, tx: 1279338 }, enp4s0: { rx: 0, tx: 0 } },
    pools: {
      tank: { available: 10346428350054, used: 13106223521300 },
      fast: { available: 660095778734, used: 305488619602 },
    },
  };
}
