// One lint for the whole tree: typescript-eslint's recommended rules, plus the layer rules of the
// README's "Layout": what may import what, where SQL lives, where Requests and Responses live.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

import casts from "./eslint/casts.js";
import layers from "./eslint/layers.js";

/** Files that may hold SQL: each feature's queries, the database module and its backups, the bulk import writer. */
const SQL_FILES = ["app/features/**/queries.server.ts", "app/features/**/queries/*.server.ts", "app/server/db.server.ts", "app/server/db-backup.server.ts", "app/features/import/import-ledger.server.ts"];

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", ".cache/**", "node_modules/**", "data/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      // Unused names are errors, except ones deliberately ignored with a leading underscore.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "no-warning-comments": "off",
    },
  },
  {
    // Migrations are frozen in time: they take Kysely<any>, never the current schema's types.
    files: ["db/migrations/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Remix's own type declarations are referenced the way its templates do.
    files: ["env.d.ts"],
    rules: { "@typescript-eslint/triple-slash-reference": "off" },
  },

  // ------------------------------------------------------------------ layers (eslint/layers.js)
  {
    files: ["app/**/*.{ts,tsx}"],
    plugins: { layers },
    rules: {
      "layers/imports": "error",
      "layers/no-http": "error",
    },
  },

  // ------------------------------------------------------------------ casts say why (eslint/casts.js)
  {
    // Tests may cast freely: a wrong cast there fails the test, not a user.
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts"],
    plugins: { casts },
    rules: { "casts/explained": "error" },
  },

  // ------------------------------------------------------------------ SQL only in queries
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: SQL_FILES,
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto|executeQuery|prepare)$/]",
          message: "SQL lives in the feature's queries.server.ts (README, Layout).",
        },
        { selector: "TaggedTemplateExpression[tag.name='sql']", message: "SQL lives in the feature's queries.server.ts (README, Layout)." },
      ],
    },
  },

  // ------------------------------------------------------------------ routes are thin
  {
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "max-lines": ["error", { max: 200, skipBlankLines: false, skipComments: false }],
    },
  },
);
