import { type Db, databaseGeneration } from "~/server/db.server";

/**
 * Figures computed from the database, kept for as long as the database has not changed
 * (`databaseGeneration`): a view that only reads asks the database one small question instead of
 * recomputing. Any write, by this process or another, moves the generation and every entry kept
 * under the old one is never served again; the least recently used entries go first once `limit`
 * is reached, so the memory a process keeps stays bounded. Requests asking for the same key at
 * the same time share one computation.
 */
export class GenerationCache<T> {
  readonly #entries = new Map<string, { generation: string; value: Promise<T> }>();

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#entries.size;
  }

  async get(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
    const generation = await databaseGeneration(db);
    const kept = this.#entries.get(key);
    if (kept && kept.generation === generation) {
      // Most recently used last: a Map iterates in insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept.value;
    }
    const value = compute();
    const entry = { generation, value };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    try {
      const result = await value;
      // A write while computing: the result may mix before and after, so it is not kept.
      if ((await databaseGeneration(db)) !== generation && this.#entries.get(key) === entry) this.#entries.delete(key);
      return result;
    } catch (error) {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      throw error;
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
