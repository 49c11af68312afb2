/** Profile selection: `small`, `typical` (nas01 from the samples) or `large`, optionally with hostile names. */
import type { SimProfile, SimVersion } from "../../types.js";
import type { Rng } from "../random.js";
import type { ProfileContext, ProfileData } from "../state.js";
import { addHostileNames } from "./hostile.js";
import { largeProfile } from "./large.js";
import { smallProfile } from "./small.js";
import { typicalProfile } from "./typical.js";
import { SAMPLE_NOW_MS } from "./typicalSystem.js";

export interface ProfileRequest {
  version: SimVersion;
  rng: Rng;
  /** The world clock at construction, ms. */
  now: number;
  names: "normal" | "hostile";
}

export function buildProfile(profile: SimProfile, req: ProfileRequest): ProfileData {
  const shift = req.now - SAMPLE_NOW_MS;
  const ctx: ProfileContext = { ...req, at: (sampleMs) => new Date(sampleMs + shift) };
  const data =
    profile === "small" ? smallProfile(ctx) : profile === "large" ? largeProfile(ctx) : typicalProfile(ctx);
  if (req.names === "hostile") addHostileNames(ctx, data);
  return data;
}
