import { Writable } from "node:stream";

import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";

import { DocumentCache, documentKey, keepsWithNonce, readChunks, streamOfChunks } from "~/server/document-cache.server";
import { NonceProvider } from "~/ui/nonce";

const ABORT_DELAY = 5_000;

/**
 * Pages rendered from the same address and the same loader data are the same document (the
 * browser renders them again from that data when it hydrates): the loaders run on every request,
 * their rendering is reused (document-cache.server.ts says why that never serves a stale page).
 */
const documents = new DocumentCache();

/** How many rendered pages are kept (for tests: the build's entry module is the only way in). */
export function keptDocuments(): number {
  return documents.size;
}

/**
 * Renders the whole document, then answers it in one piece. No page suspends (loaders return their
 * data, nothing is deferred), so streaming would send the same bytes no sooner; sent as one body
 * they cost one write instead of a stream of 2 KB chunks, each passed through a web stream and its
 * promises on the way to the socket.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
): Promise<Response> {
  const nonce = loadContext?.cspNonce ?? "";
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  const data = remixContext.serverHandoffStream;
  // Only a plain successful view is kept: a form's answer or an error page is rendered each time.
  const keep = request.method === "GET" && responseStatusCode === 200 && !remixContext.staticHandlerContext.errors && data && keepsWithNonce(nonce);
  if (!keep) {
    const rendered = await renderDocument(request, responseStatusCode, remixContext, nonce);
    return new Response(rendered.body, { headers: responseHeaders, status: rendered.status });
  }
  const chunks = await readChunks(data);
  const key = documentKey(request.url, responseStatusCode, chunks);
  const kept = documents.get(key, nonce);
  if (kept) return new Response(kept, { headers: responseHeaders, status: responseStatusCode });
  remixContext.serverHandoffStream = streamOfChunks(chunks);
  const rendered = await renderDocument(request, responseStatusCode, remixContext, nonce);
  if (rendered.status === responseStatusCode && !rendered.failed) documents.set(key, rendered.body, nonce);
  return new Response(rendered.body, { headers: responseHeaders, status: rendered.status });
}

function renderDocument(
  request: Request,
  responseStatusCode: number,
  remixContext: EntryContext,
  nonce: string,
): Promise<{ body: Buffer<ArrayBuffer>; status: number; failed: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let status = responseStatusCode;
    let failed = false;
    const document = new Writable({
      write(chunk: Uint8Array, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        clearTimeout(timeout);
        resolve({ body: Buffer.concat(chunks), status, failed });
        done();
      },
    });
    let rendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          rendered = true;
          pipe(document);
        },
        onShellError(error: unknown) {
          clearTimeout(timeout);
          reject(error);
        },
        onError(error: unknown) {
          status = 500;
          failed = true;
          // Errors after the shell are logged; before it, onShellError rejects.
          if (rendered) console.error(error);
        },
      },
    );
    // Cleared once the document is complete, so a finished render is not kept alive for the delay.
    const timeout = setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests and 4xx answers (no such route, thrown 403/404) are not server faults.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  console.error(error);
}
