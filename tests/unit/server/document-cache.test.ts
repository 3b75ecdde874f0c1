import { describe, expect, it } from "vitest";

import { DocumentCache, documentKey, keepsWithNonce, readChunks, streamOfChunks } from "~/server/document-cache.server";

const NONCE_A = "AAAAAAAAAAAAAAAAAAAAAA==";
const NONCE_B = "b+b/bbbbbbbbbbbbbbbbbb==";

function page(nonce: string, text = "figures"): Buffer {
  return Buffer.from(`<html><script nonce="${nonce}">1</script><p>${text} 王芳</p><script nonce="${nonce}">2</script></html>`);
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("DocumentCache", () => {
  it("gives a kept page back with the asking request's nonce in every place the old one stood", () => {
    const cache = new DocumentCache();
    cache.set("k", page(NONCE_A), NONCE_A);
    const kept = cache.get("k", NONCE_B);
    expect(kept?.toString()).toBe(page(NONCE_B).toString());
    expect(kept?.toString()).not.toContain(NONCE_A);
    // Asked again with the first nonce: the kept page itself was not changed by the first answer.
    expect(cache.get("k", NONCE_A)?.toString()).toBe(page(NONCE_A).toString());
  });

  it("keeps nothing under an unknown key", () => {
    const cache = new DocumentCache();
    cache.set("k", page(NONCE_A), NONCE_A);
    expect(cache.get("other", NONCE_B)).toBeUndefined();
  });

  it("keeps no page rendered with a nonce too short to be told from the page's text", () => {
    const cache = new DocumentCache();
    cache.set("k", page("abc"), "abc");
    expect(cache.get("k", NONCE_B)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(keepsWithNonce("abc")).toBe(false);
    expect(keepsWithNonce(NONCE_A)).toBe(true);
  });

  it("lets the least recently used page go once the bytes are over the limit", () => {
    const size = page(NONCE_A).length;
    const cache = new DocumentCache(size * 2, 100);
    cache.set("one", page(NONCE_A, "one"), NONCE_A);
    cache.set("two", page(NONCE_A, "two"), NONCE_A);
    // "one" used last: "two" goes when a third page comes.
    expect(cache.get("one", NONCE_B)).toBeDefined();
    cache.set("three", page(NONCE_A, "three"), NONCE_A);
    expect(cache.get("two", NONCE_B)).toBeUndefined();
    expect(cache.get("one", NONCE_B)?.toString()).toContain("one");
    expect(cache.get("three", NONCE_B)?.toString()).toContain("three");
    expect(cache.bytes).toBeLessThanOrEqual(size * 2);
  });

  it("keeps at most the given number of pages, and no page larger than the whole cache", () => {
    const cache = new DocumentCache(1_000_000, 2);
    for (const key of ["a", "b", "c"]) cache.set(key, page(NONCE_A, key), NONCE_A);
    expect(cache.size).toBe(2);
    expect(cache.get("a", NONCE_B)).toBeUndefined();
    const tiny = new DocumentCache(10, 10);
    tiny.set("big", page(NONCE_A), NONCE_A);
    expect(tiny.size).toBe(0);
    expect(tiny.bytes).toBe(0);
  });

  it("replaces a page kept again under the same key and counts its bytes once", () => {
    const cache = new DocumentCache();
    cache.set("k", page(NONCE_A, "before"), NONCE_A);
    cache.set("k", page(NONCE_A, "after"), NONCE_A);
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(page(NONCE_A, "after").length);
    expect(cache.get("k", NONCE_B)?.toString()).toContain("after");
  });
});

describe("documentKey", () => {
  it("is the same for the same address, status and data however the data was cut", () => {
    expect(documentKey("http://x/a", 200, [bytes("abc"), bytes("def")])).toBe(documentKey("http://x/a", 200, [bytes("abcdef")]));
  });

  it("differs with the address, the status or any byte of the data", () => {
    const key = documentKey("http://x/a", 200, [bytes("abcdef")]);
    expect(documentKey("http://x/a?page=2", 200, [bytes("abcdef")])).not.toBe(key);
    expect(documentKey("http://x/a", 404, [bytes("abcdef")])).not.toBe(key);
    expect(documentKey("http://x/a", 200, [bytes("abcdeF")])).not.toBe(key);
  });
});

describe("streams", () => {
  it("reads a stream to its end and gives the same chunks again", async () => {
    const chunks = [bytes("one"), bytes("two")];
    const read = await readChunks(streamOfChunks(chunks));
    expect(read.map((chunk) => new TextDecoder().decode(chunk))).toEqual(["one", "two"]);
  });
});
