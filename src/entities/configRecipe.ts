/**
 * Discovery configs kept as what they are built from. Pure: no I/O.
 */
import { buildDiscovery } from "./discovery.js";
import type { DeviceSpec, DiscoveryContext, EntitySpec } from "./model.js";
import { wellFormedValues } from "./stateDoc.js";

/**
 * A discovery config payload as the recipe it was built from, not as text: the text of every config is only
 * needed when it is sent (after a change, a broker reconnect or HA's birth), and 25,000 of them held as text
 * were a third of the large benchmark profile's heap (1 KB each). Everything it holds is shared with the group's
 * build (the spec and device JSON are its keys), so it costs one small object. Rebuilding from JSON gives the
 * same text: specs and devices are plain data (model.ts), and a test rebuilds every config of the simulator.
 */
export class ConfigRecipe {
  constructor(
    /** JSON of the entity spec. */
    readonly spec: string,
    /** JSON of the device spec. */
    readonly device: string,
    readonly context: DiscoveryContext,
  ) {}

  text(): string {
    return configText(
      JSON.parse(this.spec) as EntitySpec,
      this.context,
      JSON.parse(this.device) as DeviceSpec,
    );
  }

  /** Whether it certainly builds the same text as `other`, without building either. */
  sameSource(other: ConfigRecipe): boolean {
    return this.spec === other.spec && this.device === other.device && this.context === other.context;
  }
}

/** A discovery config's text; throws EntitySpecError for a spec Home Assistant would refuse. */
export function configText(spec: EntitySpec, context: DiscoveryContext, device: DeviceSpec): string {
  return JSON.stringify(buildDiscovery(spec, context, device).payload, wellFormedValues);
}
