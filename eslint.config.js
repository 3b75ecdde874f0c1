// One lint for the whole tree: typescript-eslint's recommended rules, plus the project's own
// layer rules, tightened as the code moves into feature modules (README, "Layout").
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
      // Comments say why, and never point at the tracker: code outlives its issue numbers.
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
  {
    // Pure modules do no I/O: no database, no file system, no Remix, no server code.
    files: ["app/kernel/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:fs", "fs", "node:child_process", "better-sqlite3", "kysely", "@remix-run/*", "*.server", "~/*.server", "~/models/*"], message: "Domain modules are pure: no I/O, no database, no Remix." },
          ],
        },
      ],
    },
  },
);
