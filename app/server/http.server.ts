import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// The adapter's own request and response conversions: the handler in between is ours, so a
// request's database is chosen before its loaders run and a write's cookie added after its action.
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { type ServerBuild, createRequestHandler } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";

import { getDb, getReplicaDb } from "./db.server";
import { replicaHealth, serveOnDatabase } from "./replica.server";
import { readiness } from "./health.server";

/**
 * The HTTP front: security headers on every response (static files included), the cross-site
 * POST check before any action runs, then static files and Remix. Used by `npm start` and the
 * browser tests; integration tests call loaders and actions directly.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request is refused when the browser says it came from another site:
 * Sec-Fetch-Site names a foreign site, or the Origin differs from ours. Requests with neither
 * header (curl, the CLI, API clients with tokens) carry no ambient browser credentials to abuse.
 */
export function isCrossSiteWrite(
  method: string,
  headers: { origin?: string; secFetchSite?: string; host?: string },
  ownOrigin: string,
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (headers.secFetchSite && headers.secFetchSite !== "same-origin" && headers.secFetchSite !== "none") return true;
  if (headers.origin !== undefined && headers.origin !== "null") return headers.origin !== ownOrigin;
  if (headers.origin === "null") return true;
  return false;
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function securityHeaders(req: Request, res: Response, next: NextFunction) {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000");
  next();
}

function refuseCrossSiteWrites(req: Request, res: Response, next: NextFunction) {
  const ownOrigin = `${req.protocol}://${req.get("host")}`;
  const crossSite = isCrossSiteWrite(
    req.method,
    { origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site") },
    ownOrigin,
  );
  if (crossSite) {
    res.status(403).type("text/plain").send("Cross-site requests are refused.");
    return;
  }
  next();
}

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * Every page's action reads a form post; anything else (JSON, text/plain, a multipart body without
 * a boundary) is refused here with 415 and a sentence, rather than failing inside an action as a 500.
 */
function refuseNonFormBodies(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method)) return next();
  // split always returns at least one element
  const type = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const boundaryMissing = type === "multipart/form-data" && !/;\s*boundary=/i.test(req.get("content-type") ?? "");
  if (!FORM_TYPES.has(type) || boundaryMissing) {
    res
      .status(415)
      .type("text/plain")
      .send("Send forms as application/x-www-form-urlencoded or multipart/form-data (with a boundary).");
    return;
  }
  next();
}

/**
 * The files at the top of `public` (the icon, the screenshot), served as files; every other path
 * goes straight on to the app. Serving the whole folder statically would look each page's path
 * up on disk first (a failed stat per page view). The folder's files are listed once, at start.
 */
function publicFiles(folder: string) {
  const serve = express.static(folder, { maxAge: "1h", index: false });
  const names = new Set(fs.existsSync(folder) ? fs.readdirSync(folder).map((name) => `/${name}`) : []);
  return (req: Request, res: Response, next: NextFunction) => {
    const top = req.path.indexOf("/", 1);
    if (names.has(top === -1 ? req.path : req.path.slice(0, top))) serve(req, res, next);
    else next();
  };
}

export async function loadServerBuild(buildDir = path.resolve("build")): Promise<ServerBuild> {
  // the Remix build's entry module is a ServerBuild
  return (await import(pathToFileURL(path.join(buildDir, "index.js")).href)) as ServerBuild;
}

export function createHttpApp(build: ServerBuild, options: { trustProxy?: string | boolean | number } = {}) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy ?? false);
  app.use(securityHeaders);
  app.use(refuseCrossSiteWrites);
  app.use(refuseNonFormBodies);
  // For load balancers and monitors, without a session: the process is up / it can serve.
  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  app.get("/readyz", (_req, res, next) => {
    const replica = getReplicaDb();
    (replica ? replicaHealth(replica) : Promise.resolve(null))
      .then((health) => readiness(getDb(), new Date(), health))
      .then((answer) => res.status(answer.ready ? 200 : 503).set("Cache-Control", "no-store").json(answer))
      .catch(next);
  });
  // Browsers ask for /favicon.ico on their own; the icon is an SVG.
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(publicFiles("public"));
  const handleRequest = createRequestHandler(build, process.env.NODE_ENV === "development" ? "development" : "production");
  app.all("*", (req, res, next) => {
    const request = createRemixRequest(req, res);
    const context = { cspNonce: String(res.locals.cspNonce ?? ""), clientIp: req.ip ?? "unknown" };
    serveOnDatabase(request, () => handleRequest(request, context))
      .then((response) => sendRemixResponse(res, response))
      // Express does not wait for a promise: an error goes on to its error handler.
      .catch(next);
  });
  return app;
}
