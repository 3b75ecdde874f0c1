import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";

// The cast rule of `npm run lint` (eslint/casts.js): a type or non-null assertion in app/ and db/
// says why in a comment; `as const` and `satisfies` need none.
import casts from "../../../eslint/casts.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// Without JSX, so the angle-bracket form `<T>x` parses as a cast.
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const unexplained = (count = 1) => Array.from({ length: count }, () => ({ messageId: "unexplained" }));

tester.run("casts/explained", casts.rules.explained, {
  valid: [
    // no cast
    "const x: number = 1;",
    // not casts
    "const levels = ['a', 'b'] as const;",
    "const point = <const>{ x: 1 };",
    "const config = { port: 3000 } satisfies { port: number };",
    // a comment on the same line
    "const n = value as number; // the column is declared INTEGER NOT NULL",
    "const el = document.getElementById('app')!; // the root template always has #app",
    // a comment on the line above
    "// the form's select offers only these\nconst kind = raw as Kind;",
    // a block comment above, and a comment above the statement that covers a cast on a later line
    "/* both come from the same row */\nconst a = row!.a;",
    "// counts are never negative\nconst total = sum(\n  rows.map((r) => r.n as number),\n);",
    // a comment on the first line of a multi-line statement
    "const total = sum( // the column is declared INTEGER NOT NULL\n  rows.map((r) => r.n as number),\n);",
    // a comment just above the cast's own line, inside a longer statement
    "const view = {\n  a: 1,\n  // checked by the guard above\n  b: value as B,\n};",
  ],
  invalid: [
    { code: "const n = value as number;", errors: unexplained() },
    { code: "const n = <number>value;", errors: unexplained() },
    { code: "const el = document.getElementById('app')!;", errors: unexplained() },
    { code: "const x = value as unknown as Thing;", errors: unexplained(2) },
    // a comment two lines up, with a line of code between, is not this cast's
    { code: "// about something else\nconst a = 1;\nconst b = value as B;", errors: unexplained() },
    // a comment below does not count
    { code: "const b = value as B;\n// too late", errors: unexplained() },
    // a comment above an earlier statement does not cover the next one
    { code: "// why a is safe\nconst a = x as A;\nconst b = y as B;", errors: unexplained() },
    { code: "const total = sum(\n  rows.map((r) => r.n as number),\n);", errors: unexplained() },
  ],
});
