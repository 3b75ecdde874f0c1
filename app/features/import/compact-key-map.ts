/**
 * A string -> int32 map for the million keys of a bulk import (the natural keys seen in a file,
 * the invoices an import defines). A `Map<string, number>` costs ~80 bytes a key on the JS heap
 * (the string plus the hash table entry) and keeps the garbage collector busy; this keeps the
 * keys' UTF-8 bytes in one growing buffer and the table in typed arrays: ~25 bytes a key,
 * outside the JS heap, exact (keys are compared byte for byte, never by hash alone).
 *
 * While every key comes after the one before (JS string order), as an export's document
 * numbers usually do, no hash table is kept at all: a key after the last one cannot be any
 * earlier one, so it is appended (~13 bytes a key, no hashing, no probe into a table of
 * megabytes). The first key out of order, or the first get(), builds the table from the keys.
 */
export class CompactKeyMap {
  private bytes: Buffer;
  /** bytes used by stored keys; the space after it is scratch for the key being looked up */
  private tail = 0;
  /** per entry: where its key starts in `bytes`; offsets[n] is the end of the last key */
  private offsets: Int32Array;
  private values: Int32Array;
  /** per entry: its key's hash (empty until the table is built) */
  private hashes = new Int32Array(0);
  /** open addressing, linear probing: entry index + 1, 0 = empty (empty until the table is built) */
  private slots = new Int32Array(0);
  private count = 0;
  /** the last key stored while the keys came in ascending order; null once the table is built */
  private lastKey: string | null = null;
  private hashed = false;

  /** `expectedKeys`: room for about that many keys from the start (an estimate; it grows past it). */
  constructor(expectedKeys = 0) {
    const entries = Math.max(1 << 10, Math.ceil(expectedKeys) + 2);
    this.offsets = new Int32Array(entries);
    this.values = new Int32Array(entries);
    this.bytes = Buffer.allocUnsafe(Math.max(1 << 16, entries * 12));
  }

  get size(): number {
    return this.count;
  }

  get(key: string): number | undefined {
    if (!this.hashed) this.buildTable();
    const length = this.scratch(key);
    const hash = hashBytes(this.bytes, this.tail, length);
    const entry = this.find(hash, length);
    return entry < 0 ? undefined : this.values[entry];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: number): void {
    this.put(key, value, true);
  }

  /** The value already stored for `key`; undefined after storing `value` for it. */
  getOrSet(key: string, value: number): number | undefined {
    return this.put(key, value, false);
  }

  private put(key: string, value: number, overwrite: boolean): number | undefined {
    if (!this.hashed) {
      const last = this.lastKey;
      if (last === null || key > last) {
        this.lastKey = key;
        this.append(this.scratch(key), value);
        return undefined;
      }
      if (key === last) {
        const entry = this.count - 1;
        const existing = this.values[entry];
        if (overwrite) this.values[entry] = value;
        return existing;
      }
      this.buildTable();
    }
    const length = this.scratch(key);
    const hash = hashBytes(this.bytes, this.tail, length);
    const entry = this.find(hash, length);
    if (entry >= 0) {
      const existing = this.values[entry];
      if (overwrite) this.values[entry] = value;
      return existing;
    }
    if ((this.count + 1) * 2 > this.slots.length) this.growSlots();
    const index = this.count;
    this.append(length, value);
    this.hashes[index] = hash;
    this.insertSlot(hash, index);
    return undefined;
  }

  /** Stores the scratch key (`length` bytes) as the next entry. */
  private append(length: number, value: number): void {
    if (this.count + 2 > this.offsets.length) this.growEntries();
    const index = this.count;
    this.offsets[index] = this.tail;
    this.values[index] = value;
    this.tail += length;
    this.count += 1;
    this.offsets[this.count] = this.tail;
  }

  /** The hash table of the keys stored so far; from now on every key is hashed. */
  private buildTable(): void {
    this.hashed = true;
    this.lastKey = null;
    this.hashes = new Int32Array(this.offsets.length);
    let size = 1 << 11;
    while ((this.count + 1) * 2 > size) size *= 2;
    this.slots = new Int32Array(size);
    for (let entry = 0; entry < this.count; entry += 1) {
      const start = this.offsets[entry] ?? 0;
      const hash = hashBytes(this.bytes, start, (this.offsets[entry + 1] ?? 0) - start);
      this.hashes[entry] = hash;
      this.insertSlot(hash, entry);
    }
  }

  /** Writes the key's UTF-8 bytes after the stored keys; returns their length. */
  private scratch(key: string): number {
    const needed = this.tail + key.length * 3;
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, Math.ceil(this.bytes.length * 1.5)));
      this.bytes.copy(grown, 0, 0, this.tail);
      this.bytes = grown;
    }
    // Keys are nearly always ASCII: copying the char codes beats a call into the encoder.
    const bytes = this.bytes;
    const start = this.tail;
    for (let i = 0; i < key.length; i += 1) {
      const code = key.charCodeAt(i);
      if (code >= 0x80) return bytes.write(key, start, "utf8");
      bytes[start + i] = code;
    }
    return key.length;
  }

  /** The entry whose key equals the scratch key, or -1. */
  private find(hash: number, length: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const bytes = this.bytes;
    const probe = this.tail;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      // in range: the slot is masked to the table's length
      const stored = slots[slot] ?? 0;
      if (stored === 0) return -1;
      const entry = stored - 1;
      if (this.hashes[entry] !== hash) continue;
      const start = this.offsets[entry] ?? 0;
      if ((this.offsets[entry + 1] ?? 0) - start !== length) continue;
      let equal = true;
      for (let i = 0; i < length; i += 1) {
        if (bytes[start + i] !== bytes[probe + i]) {
          equal = false;
          break;
        }
      }
      if (equal) return entry;
    }
  }

  private insertSlot(hash: number, entry: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = entry + 1;
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let entry = 0; entry < this.count; entry += 1) this.insertSlot(this.hashes[entry] ?? 0, entry);
  }

  private growEntries(): void {
    const grow = (array: Int32Array) => {
      const grown = new Int32Array(array.length * 2);
      grown.set(array);
      return grown;
    };
    this.offsets = grow(this.offsets);
    this.values = grow(this.values);
    if (this.hashed) this.hashes = grow(this.hashes);
  }
}

/** FNV-1a over the bytes, then a final mix so that linear probing spreads sequential keys. */
function hashBytes(bytes: Uint8Array, start: number, length: number): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = start, end = start + length; i < end; i += 1) hash = Math.imul(hash ^ (bytes[i] ?? 0), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash;
}
