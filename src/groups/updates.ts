/**
 * TrueNAS updates (truenas-api.md §3.4, §6.1): 25.10's `update.status` (always succeeds, errors inside the
 * result) or 25.04's `update.check_available` (contacts the update server; network problems raise), picked by
 * version with a fallback on MethodNotFoundError, plus `system.info` for the installed version. One read-only
 * HA update entity (device class firmware) and an "Update available" binary sensor on the NAS device.
 * Events: `update.status` (25.10, during a download).
 */
import { NAS_DEVICE } from "../entities/ids.js";
import {
  bindEntities,
  type EntityTemplate,
  type GroupSnapshot,
  type ObjectRef,
  type StateDocument,
} from "../entities/model.js";
import { MethodNotFoundError } from "../truenas/errors.js";
import { atLeast } from "../truenas/version.js";
import type { CallFn, GroupDefinition } from "./group.js";
import { list, num, obj, str, type Obj } from "./values.js";

export const UPDATE_STATUS = "update.status";
export const CHECK_AVAILABLE = "update.check_available";

export interface UpdatesRaw {
  info: unknown;
  /** Which method answered: the two have different shapes. */
  method: typeof UPDATE_STATUS | typeof CHECK_AVAILABLE;
  result: unknown;
}

export const UPDATE_REF: ObjectRef = { kind: "truenas", id: "update" };

const TEMPLATES = [
  {
    component: "update",
    key: "update",
    name: "Update",
    title: "TrueNAS",
    installedField: "installed_version",
    latestField: "latest_version",
    deviceClass: "firmware",
    attributes: { from: "attributes" },
  },
  {
    component: "binary_sensor",
    key: "update_available",
    name: "Update available",
    field: "update_available",
    deviceClass: "update",
  },
] as const satisfies readonly EntityTemplate[];

/** What either method says, in one shape. `latest` undefined = no update; null = unknown. */
interface Verdict {
  latest: string | null | undefined;
  status: string;
  error: { errname: string | null; reason: string | null } | null;
  extra: StateDocument;
}

/** 25.10 `update.status`: `code` NORMAL/ERROR, `status.new_version`, `update_download_progress`. */
function fromStatus(r: Obj): Verdict {
  const status = obj(r.status);
  const current = obj(status.current_version);
  const next = obj(status.new_version);
  const progress = obj(r.update_download_progress);
  const extra: StateDocument = {
    train: str(current.train),
    profile: str(current.profile),
    release_notes_url: str(next.release_notes_url),
    download_percent: num(progress.percent),
  };
  if (r.code !== "NORMAL") {
    const e = obj(r.error);
    const errname = str(e.errname);
    // EREBOOTREQUIRED: an update was applied and waits for a reboot; not a failure.
    const state = errname === "EREBOOTREQUIRED" ? "reboot_required" : "error";
    return { latest: null, status: state, error: { errname, reason: str(e.reason) }, extra };
  }
  const version = str(next.version);
  if (version !== null) return { latest: version, status: "available", error: null, extra };
  return { latest: r.status === null ? null : undefined, status: "up_to_date", error: null, extra };
}

/** 25.04 `update.check_available`: AVAILABLE / UNAVAILABLE / REBOOT_REQUIRED / HA_UNAVAILABLE. */
function fromCheckAvailable(r: Obj): Verdict {
  const change = obj(list(r.changes).find((c) => obj(c).operation === "upgrade"));
  const extra: StateDocument = {
    train: null,
    profile: null,
    release_notes_url: str(r.release_notes_url),
    download_percent: null,
  };
  switch (r.status) {
    case "AVAILABLE": {
      const latest = str(r.version) ?? str(obj(change.new).version);
      return { latest, status: latest === null ? "error" : "available", error: null, extra };
    }
    case "UNAVAILABLE":
      return { latest: undefined, status: "up_to_date", error: null, extra };
    case "REBOOT_REQUIRED":
      return { latest: null, status: "reboot_required", error: null, extra };
    default:
      return { latest: null, status: "unknown", error: null, extra: { ...extra, raw_status: str(r.status) } };
  }
}

/** The update method of this NAS, the other one when it answers "no such method". */
async function checkUpdates(call: CallFn, preferStatus: boolean): Promise<Omit<UpdatesRaw, "info">> {
  const [first, second] = preferStatus
    ? ([UPDATE_STATUS, CHECK_AVAILABLE] as const)
    : ([CHECK_AVAILABLE, UPDATE_STATUS] as const);
  try {
    return { method: first, result: await call(first) };
  } catch (err) {
    if (!(err instanceof MethodNotFoundError)) throw err;
    return { method: second, result: await call(second) };
  }
}

export const updatesGroup: GroupDefinition<UpdatesRaw> = {
  name: "updates",
  events: [UPDATE_STATUS],
  async fetch({ call, version }) {
    const [info, check] = await Promise.all([
      call("system.info"),
      checkUpdates(call, atLeast(version, "25.10")),
    ]);
    return { info, ...check };
  },
  normalise(raw): GroupSnapshot {
    const r = obj(raw);
    const installed = str(obj(r.info).version);
    const result = obj(r.result);
    const verdict = r.method === CHECK_AVAILABLE ? fromCheckAvailable(result) : fromStatus(result);
    // No update: HA wants latest = installed (it compares the two).
    const latest = verdict.latest === undefined ? installed : verdict.latest;
    // Unknown (null) while TrueNAS cannot tell: an error, HA peer down, or an applied update awaiting reboot.
    const available =
      verdict.status === "available" ? latest !== installed : verdict.status === "up_to_date" ? false : null;
    return {
      group: "updates",
      devices: [],
      objects: [
        {
          ref: UPDATE_REF,
          device: NAS_DEVICE,
          doc: {
            installed_version: installed,
            latest_version: latest,
            update_available: available,
          },
          attributes: { status: verdict.status, error: verdict.error, ...verdict.extra },
        },
      ],
      entities: bindEntities(TEMPLATES, UPDATE_REF),
    };
  },
};
