/**
 * Lifecycle, netdata, updates and alerts: `system.reboot`/`system.ready` added events (`plugins/system/*.py`),
 * the `update.status` changed event with its payload in `extra` (25.10), `HasUpdate` and disk-temperature alerts
 * (`alert/source/disk_temp.py` on 25.10, smartd's `SMART` alerts on 25.04).
 */
import type { AlertSpec } from "../alerts.js";
import type { JobEntry } from "../model.js";
import type { WorldContext } from "../state.js";
import { updateStatus } from "../updates.js";
import { requireDisk } from "./storage.js";

export function setReady(ctx: WorldContext, ready: boolean): void {
  const sys = ctx.state.system;
  const was = sys.state;
  sys.state = ready ? "READY" : "BOOTING";
  if (ready && was !== "READY") ctx.emit({ collection: "system.ready", msg: "added" });
}

/** Jobs live in middlewared's memory: after a restart a task keeps only the persisted copy (id null). */
function persisted(job: JobEntry | null): JobEntry | null {
  if (!job || job.state === "RUNNING" || job.state === "WAITING") return null;
  return { ...job, id: null, logs_path: null };
}

/**
 * `system.reboot`: the `system.reboot` event, a new boot (boot id, boottime, empty job queue), then, unless
 * `ready` is false, READY with `system.ready`.
 */
export function reboot(ctx: WorldContext, reason = "System reboot", ready = true): void {
  const sys = ctx.state.system;
  ctx.emit({ collection: "system.reboot", msg: "added", fields: { reason } });
  sys.state = "BOOTING";
  sys.bootMs = Math.floor(ctx.now() / 1000) * 1000;
  sys.bootId = ctx.rng.uuid();
  sys.uptimeSkewMs = ctx.rng.int(0, 999_999) / 1000;
  ctx.jobs.clear();
  for (const t of ctx.state.cloudsync) t.job = persisted(t.job);
  for (const t of ctx.state.replication) {
    t.job = persisted(t.job);
    if (t.state.state === "RUNNING") t.state = { state: "PENDING" };
  }
  if (ready) setReady(ctx, true);
}

function emitUpdateStatus(ctx: WorldContext): void {
  if (ctx.version !== "25.10") return;
  ctx.emit({
    collection: "update.status",
    msg: "changed",
    extra: { status: updateStatus(ctx.state.update) },
  });
}

/** A new release appears (or the system is current): `HasUpdate` alert and, on 25.10, `update.status`. */
export function setUpdateAvailable(ctx: WorldContext, version: string | null): void {
  ctx.state.update.available = version;
  ctx.state.update.download = null;
  const existing = ctx.alerts.find((a) => a.klass === "HasUpdate");
  if (version === null && existing) ctx.alerts.clear(existing.uuid);
  if (version !== null && !existing) {
    ctx.alerts.raise({
      klass: "HasUpdate",
      level: "INFO",
      text: "A system update is available. Go to System \u2192 Update to download and apply the update.",
    });
  }
  emitUpdateStatus(ctx);
}

/** The update server cannot be reached (25.10: `code: "ERROR"`; 25.04: check_available raises). */
export function setUpdateError(ctx: WorldContext, error: { errname: string; reason: string } | null): void {
  ctx.state.update.error = error;
  emitUpdateStatus(ctx);
}

/** 25.10 download progress (`update_download_progress`), sent as `update.status` changed. */
export function setUpdateDownload(ctx: WorldContext, percent: number | null): void {
  ctx.state.update.download = percent === null ? null : { percent, description: "Downloading update" };
  emitUpdateStatus(ctx);
}

/**
 * A disk runs hot: its temperature goes past the critical threshold and the release's alert is raised
 * (25.10 `DiskTemperatureTooHot`; 25.04 a smartd `SMART` message). Returns the alert uuid.
 */
export function overheatDisk(ctx: WorldContext, name: string, celsius?: number): string {
  const disk = requireDisk(ctx, name);
  const temp = celsius ?? disk.critTemp + 1;
  disk.temp = temp;
  disk.baseTemp = temp;
  const device = `/dev/${name}`;
  const spec: AlertSpec =
    ctx.version === "25.10"
      ? {
          klass: "DiskTemperatureTooHot",
          level: "CRITICAL",
          text:
            "Disk %(device)s (with serial: %(serial)s) critical temperature threshold is %(crit_threshold)d " +
            "degrees celsius and the current temp is %(temp)d degrees celsius",
          args: { device, serial: disk.entry.serial, crit_threshold: disk.critTemp, temp },
        }
      : {
          klass: "SMART",
          level: "CRITICAL",
          text: "Device: %(device)s, %(message)s.",
          args: {
            device,
            message: `Temperature ${temp} Celsius reached critical limit of ${disk.critTemp} Celsius (Min/Max 24/${temp})`,
          },
        };
  return ctx.alerts.raise(spec);
}
