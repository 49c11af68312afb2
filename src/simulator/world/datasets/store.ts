/**
 * The dataset tree: records by name plus a child index, listed depth-first (parents before children, siblings in
 * creation order) the way ZFS iterates, with internal datasets kept but hidden from every listing.
 */
import { isInternalDataset, parentName, type DatasetRecord } from "./records.js";

export class DatasetStore {
  readonly #byName = new Map<string, DatasetRecord>();
  readonly #children = new Map<string, string[]>();
  readonly #roots: string[] = [];
  readonly #bootPool: string;

  constructor(bootPool: string, records: readonly DatasetRecord[] = []) {
    this.#bootPool = bootPool;
    for (const r of records) this.add(r);
  }

  /** Add a dataset; its parent must exist unless it is a pool root. */
  add(record: DatasetRecord): void {
    if (this.#byName.has(record.name)) throw new Error(`dataset ${record.name} exists`);
    const parent = parentName(record.name);
    if (parent === null) this.#roots.push(record.name);
    else {
      const siblings = this.#children.get(parent);
      if (!siblings) throw new Error(`parent dataset ${parent} does not exist`);
      siblings.push(record.name);
    }
    this.#byName.set(record.name, record);
    this.#children.set(record.name, []);
  }

  /** Remove a dataset and its descendants; returns the removed names, deepest first (ZFS destroy order). */
  remove(name: string): string[] {
    if (!this.#byName.has(name)) return [];
    const removed: string[] = [];
    const walk = (n: string): void => {
      for (const c of this.#children.get(n) ?? []) walk(c);
      removed.push(n);
    };
    walk(name);
    for (const n of removed) {
      this.#byName.delete(n);
      this.#children.delete(n);
    }
    const parent = parentName(name);
    const list = parent === null ? this.#roots : this.#children.get(parent);
    const at = list ? list.indexOf(name) : -1;
    if (list && at !== -1) list.splice(at, 1);
    return removed;
  }

  get(name: string): DatasetRecord | undefined {
    return this.#byName.get(name);
  }

  isHidden(name: string): boolean {
    return isInternalDataset(name, this.#bootPool);
  }

  /** Visible child records of `name`, in creation order. */
  childrenOf(name: string): DatasetRecord[] {
    const out: DatasetRecord[] = [];
    for (const c of this.#children.get(name) ?? []) {
      const rec = this.#byName.get(c);
      if (rec && !this.isHidden(c)) out.push(rec);
    }
    return out;
  }

  /** Visible pool roots. */
  roots(): DatasetRecord[] {
    return this.#roots.filter((n) => !this.isHidden(n)).map((n) => this.#byName.get(n) as DatasetRecord);
  }

  /** Every visible dataset, depth-first. */
  visible(): DatasetRecord[] {
    const out: DatasetRecord[] = [];
    const walk = (rec: DatasetRecord): void => {
      out.push(rec);
      for (const c of this.childrenOf(rec.name)) walk(c);
    };
    for (const r of this.roots()) walk(r);
    return out;
  }

  /** Every dataset including internal ones (counts, tests). */
  get size(): number {
    return this.#byName.size;
  }
}
