/**
 * The update check in each release's shape: 25.04 `update.check_available` (`plugins/update.py`) and 25.10
 * `update.status` (`plugins/update_/status.py`), which always succeeds and reports errors inside the result
 * (truenas-api.md §3.4).
 */
import { ERRNO, SimCallError, type ErrName } from "../rpcErrors.js";
import type { SimVersion } from "../types.js";
import type { WireObject } from "./model.js";
import type { UpdateRecord } from "./state.js";

/** The short version each flavour reports (`system.info.version`, `system.version_short`). */
export const VERSION_STRINGS: Readonly<Record<SimVersion, string>> = {
  "25.10": "25.10.0",
  "25.04.2": "25.04.2.6",
  "25.04.0": "25.04.0",
};

/** `system.version`: 25.04 still carries "SCALE" in the product name. */
export function fullVersion(version: SimVersion): string {
  return version === "25.10"
    ? `TrueNAS-${VERSION_STRINGS[version]}`
    : `TrueNAS-SCALE-${VERSION_STRINGS[version]}`;
}

function releaseNotesUrl(target: string): string {
  const series = target.split(".").slice(0, 2).join(".");
  return `https://www.truenas.com/docs/scale/${series}/gettingstarted/scalereleasenotes/#${target.replace(/\./g, "")}`;
}

/** 25.10 `UpdateStatus`. */
export function updateStatus(update: UpdateRecord): WireObject {
  if (update.error) {
    return { code: "ERROR", error: { ...update.error }, status: null, update_download_progress: null };
  }
  const target = update.available;
  const newVersion: WireObject | null =
    target === null
      ? null
      : {
          version: target,
          manifest: {
            filename: `TrueNAS-SCALE-${target}.update`,
            version: target,
            date: "2025-12-16T00:00:00",
            profile: update.profile,
            checksum: "3b1d8e0a4c7f2e9d6a5b0c1f8e7d2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f",
            filesize: 1710292992,
            train: update.train,
          },
          release_notes: `TrueNAS ${target} is a maintenance release...`,
          release_notes_url: releaseNotesUrl(target),
        };
  return {
    code: "NORMAL",
    error: null,
    status: {
      current_version: { train: update.train, profile: update.profile, matches_profile: true },
      new_version: newVersion,
    },
    update_download_progress:
      update.download && target !== null ? { ...update.download, version: target } : null,
  };
}

/** 25.04 `update.check_available`: AVAILABLE with the change list, or UNAVAILABLE; check errors raise. */
export function checkAvailable(update: UpdateRecord, version: SimVersion): WireObject {
  if (update.error) {
    const errname = (update.error.errname in ERRNO ? update.error.errname : "EFAULT") as ErrName;
    throw new SimCallError(errname, update.error.reason);
  }
  const target = update.available;
  if (target === null) return { status: "UNAVAILABLE" };
  return {
    status: "AVAILABLE",
    changes: [
      {
        operation: "upgrade",
        old: { name: "TrueNAS", version: VERSION_STRINGS[version] },
        new: { name: "TrueNAS", version: target },
      },
    ],
    notice: null,
    notes: null,
    release_notes_url: releaseNotesUrl(target),
    changelog: "Bug fixes and security updates.",
    version: target,
    filename: `TrueNAS-SCALE-${target}.update`,
    filesize: 1624547328,
    checksum: "9f2c6d0b7e4a1c3d5f8e2b7a9c1d4e6f0a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d",
  };
}
