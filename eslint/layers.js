// The import boundaries of the README's "Layout", as one ESLint rule: each file's layer is read
// off its path, each import's target is resolved the way TypeScript resolves `~/` and relative
// paths, and the pair is checked against the table below. One rule instead of several
// `no-restricted-imports` blocks, because ESLint does not merge a rule's options across blocks.
import fs from "node:fs";
import path from "node:path";

const APP = path.resolve("app");
const CREDIT_PARTS = ["grades", "review", "holds", "confirmations", "collection-actions"];
const IO_PACKAGES = /^(node:)?(fs|child_process|net|http|https)$|^(better-sqlite3|pg|kysely|express|@remix-run\/.*|react|react-dom|react-i18next|i18next-.*)$/;

/** Which layer an app file belongs to (paths relative to app/). */
export function layerOf(relative) {
  if (relative.startsWith("routes/")) return { layer: "route" };
  if (relative.startsWith("server/")) return { layer: "server" };
  if (relative.startsWith("ui/")) return { layer: "ui" };
  if (relative.startsWith("i18n/")) return { layer: "i18n" };
  if (relative.startsWith("kernel/")) return { layer: "kernel" };
  if (relative.startsWith("features/")) {
    const parts = relative.split("/");
    const feature = parts[1] === "credit" && CREDIT_PARTS.includes(parts[2]) ? `credit/${parts[2]}` : parts[1];
    const inside = parts.slice(feature.split("/").length + 1);
    const name = inside[inside.length - 1] ?? "";
    let kind = "rules";
    if (inside[0] === "components") kind = inside.length === 2 && /^index\.tsx?$/.test(name) ? "index" : "component";
    else if (name === "index.ts" || name === "index.server.ts") kind = "index";
    else if (/\.server\.tsx?$/.test(name)) kind = inside[0] === "queries" || name === "queries.server.ts" ? "queries" : "use-case";
    else if (/(^|\.)schema\.ts$/.test(name)) kind = "schema";
    else if (/(^|\.)messages\.ts$/.test(name)) kind = "messages";
    return { layer: "feature", feature, kind, inside: inside.join("/") };
  }
  return { layer: "app" };
}

function resolveTarget(source, filename) {
  let base;
  if (source.startsWith("~/")) base = path.join(APP, source.slice(2));
  else if (source.startsWith(".")) base = path.resolve(path.dirname(filename), source);
  else return null;
  for (const ending of ["", ".ts", ".tsx", "/index.ts", "/index.tsx"]) {
    if (fs.existsSync(base + ending) && fs.statSync(base + ending).isFile()) return base + ending;
  }
  return base;
}

function isSqlFile(relative) {
  return (
    /^features\/.+\/queries(\.server\.ts|\/[^/]+\.server\.ts)$/.test(relative) ||
    relative === "server/db.server.ts" ||
    relative === "server/db-backup.server.ts" ||
    // The bulk import writer: driver statements prepared once (README, Decisions).
    relative === "features/import/import-ledger.server.ts"
  );
}

/** Why `importer` may not import `source` (resolved to `target`, relative to app/), or null. */
export function refusal(importer, source, target, typeOnly) {
  const from = layerOf(importer);
  const pure = from.layer === "kernel" || (from.layer === "feature" && from.kind === "rules");

  if (source === "kysely" && !typeOnly && !isSqlFile(importer)) return "Kysely is used in queries.server.ts; elsewhere only its types.";
  if (source === "zod" && !typeOnly && (from.layer === "kernel" || from.layer === "feature" || from.layer === "ui") && !(from.layer === "feature" && from.kind === "schema"))
    return "zod lives in schema.ts (or <name>.schema.ts).";
  if (source === "@remix-run/node" && !typeOnly && ["feature", "kernel", "ui", "i18n"].includes(from.layer))
    return "Remix's server API is used in routes/ and server/ only: use cases throw AppError.";

  if (pure) {
    if (IO_PACKAGES.test(source) && !(typeOnly && source !== "kysely")) return "Pure modules do no I/O: no database, no file system, no Remix, no React.";
    if (target && /\.server(\.tsx?)?$/.test(target)) return "Pure modules do not use server code.";
  }
  if (target === null) return null;
  const to = layerOf(target);
  if (pure && ["server", "route", "ui"].includes(to.layer)) return "Pure modules do not use server/, routes/ or ui/.";
  if (from.layer === "kernel" && to.layer === "feature") return "kernel/ is below the features: it uses none of them.";
  if (to.layer === "route" && from.layer !== "route") return "Nothing imports a route module.";
  if (from.layer === "route" && to.layer === "feature" && to.kind === "queries") return "Routes call a feature's use case, never its queries.";
  if (["server", "ui", "i18n"].includes(from.layer) && to.layer === "feature" && !(from.layer === "i18n" && to.kind === "messages") && to.kind !== "index")
    return "server/, ui/ and i18n/ use a feature only through its index.ts (i18n also gathers messages.ts).";
  if (from.layer === "feature" && to.layer === "feature" && from.feature !== to.feature) {
    if (to.kind === "index") return null;
    // The credit parts share the credit rules (app/features/credit/*.ts and its components).
    if (from.feature.startsWith("credit") && to.feature === "credit") return null;
    return `Another feature (${to.feature}) is used only through its index.ts or index.server.ts, never its files.`;
  }
  return null;
}

export default {
  rules: {
    // Below routes/, nothing sees HTTP: routes read the request and pass plain values down; use
    // cases throw AppError, and server/ turns it into the answer.
    "no-http": {
      meta: { type: "problem", schema: [] },
      create(context) {
        const importer = path.relative(APP, context.filename).split(path.sep).join("/");
        if (importer.startsWith("..") || !["feature", "kernel", "ui", "i18n"].includes(layerOf(importer).layer)) return {};
        const HTTP = new Set(["Request", "Response", "Headers"]);
        const report = (node) =>
          context.report({ node, message: `${node.name} belongs to routes/ and server/: pass plain values down, throw AppError up (README, Layout)` });
        return {
          "TSTypeReference > Identifier.typeName"(node) {
            if (HTTP.has(node.name)) report(node);
          },
          "NewExpression > Identifier.callee"(node) {
            if (HTTP.has(node.name)) report(node);
          },
        };
      },
    },
    imports: {
      meta: { type: "problem", schema: [] },
      create(context) {
        const filename = context.filename;
        const importer = path.relative(APP, filename).split(path.sep).join("/");
        if (importer.startsWith("..")) return {};
        function check(node, source, typeOnly) {
          if (typeof source !== "string") return;
          const target = resolveTarget(source, filename);
          const relativeTarget = target === null ? null : path.relative(APP, target).split(path.sep).join("/");
          const why = refusal(importer, source, relativeTarget, typeOnly);
          if (why) context.report({ node, message: `${why} (README, Layout)` });
        }
        return {
          ImportDeclaration(node) {
            const typeOnly = node.importKind === "type" || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === "type"));
            check(node, node.source.value, typeOnly);
          },
          ExportNamedDeclaration(node) {
            if (node.source) check(node, node.source.value, node.exportKind === "type");
          },
          ExportAllDeclaration(node) {
            check(node, node.source.value, node.exportKind === "type");
          },
          ImportExpression(node) {
            if (node.source.type === "Literal") check(node, node.source.value, false);
          },
        };
      },
    },
  },
};
