/**
 * What the simulator counts: calls and response bytes per method, events and bytes per collection, and
 * connections. The benchmark reads these to report the load a bridge puts on a NAS.
 */
export interface MethodCount {
  calls: number;
  bytes: number;
}

export class SimStats {
  readonly methods = new Map<string, MethodCount>();
  readonly events = new Map<string, MethodCount>();
  connections = 0;

  recordCall(method: string, bytes: number): void {
    const entry = this.methods.get(method) ?? { calls: 0, bytes: 0 };
    entry.calls += 1;
    entry.bytes += bytes;
    this.methods.set(method, entry);
  }

  recordEvent(collection: string, bytes: number): void {
    const entry = this.events.get(collection) ?? { calls: 0, bytes: 0 };
    entry.calls += 1;
    entry.bytes += bytes;
    this.events.set(collection, entry);
  }

  recordConnection(): void {
    this.connections += 1;
  }

  /** Calls answered for one method (0 if never called). */
  calls(method: string): number {
    return this.methods.get(method)?.calls ?? 0;
  }

  reset(): void {
    this.methods.clear();
    this.events.clear();
    this.connections = 0;
  }
}
