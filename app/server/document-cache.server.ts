import crypto from "node:crypto";

/**
 * Rendered pages kept by what they are rendered from. A page's HTML is a function of its address
 * and of the data its loaders returned: the browser re-renders the page from that same data
 * (Remix streams it into the document) and must get the same markup, or hydration fails. So two
 * views of one address with byte-for-byte the same streamed data get the same document, and the
 * second need not be rendered again. Nothing here goes stale: the loaders still run on every
 * request (sign-in, permissions, the figures), only their rendering is reused, and a change in any
 * figure, the viewer, the language or the address is a different key.
 *
 * The one per-request part of a document is the CSP nonce: a kept document remembers where its
 * nonce stood and gets the new request's nonce put in its place.
 */

/** The most bytes of HTML kept, and the most pages: the least recently used go first. */
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 500;

/** A nonce shorter than this could appear in a page by chance; such pages are not kept. */
const MIN_NONCE_LENGTH = 16;

interface KeptDocument {
  /** the document cut at each place its nonce stood */
  parts: Buffer[];
  bytes: number;
}

export class DocumentCache {
  readonly #entries = new Map<string, KeptDocument>();
  #bytes = 0;

  constructor(
    readonly maxBytes = DEFAULT_MAX_BYTES,
    readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The document kept under `key`, with `nonce` where its own nonce stood; undefined when none. */
  get(key: string, nonce: string): Buffer<ArrayBuffer> | undefined {
    const kept = this.#entries.get(key);
    if (!kept) return undefined;
    // Most recently used last: a Map iterates in insertion order.
    this.#entries.delete(key);
    this.#entries.set(key, kept);
    const nonceBytes = Buffer.from(nonce);
    const pieces: Buffer[] = [];
    kept.parts.forEach((part, index) => {
      if (index > 0) pieces.push(nonceBytes);
      pieces.push(part);
    });
    return Buffer.concat(pieces);
  }

  /** Keeps `html`, rendered with `nonce`, under `key`; a document too large for the cache is not kept. */
  set(key: string, html: Buffer, nonce: string): void {
    if (nonce.length < MIN_NONCE_LENGTH || html.length > this.maxBytes) return;
    this.#remove(key);
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = html.indexOf(nonce, from); at !== -1; at = html.indexOf(nonce, from)) {
      parts.push(html.subarray(from, at));
      from = at + nonce.length;
    }
    parts.push(html.subarray(from));
    this.#entries.set(key, { parts, bytes: html.length });
    this.#bytes += html.length;
    while (this.#bytes > this.maxBytes || this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#remove(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #remove(key: string): void {
    const kept = this.#entries.get(key);
    if (!kept) return;
    this.#entries.delete(key);
    this.#bytes -= kept.bytes;
  }
}

/** Whether a nonce is long enough to be told apart from a page's own text. */
export function keepsWithNonce(nonce: string): boolean {
  return nonce.length >= MIN_NONCE_LENGTH;
}

/** Every chunk of a stream, read to its end. */
export async function readChunks(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return chunks;
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}

/** A stream that gives `chunks` again, in the same pieces. */
export function streamOfChunks(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** The key of a document: its address, its status and the data it is rendered from, hashed. */
export function documentKey(url: string, status: number, data: Uint8Array[]): string {
  const hash = crypto.createHash("sha256");
  hash.update(`${status} ${url}\n`);
  for (const chunk of data) hash.update(chunk);
  return hash.digest("base64");
}
