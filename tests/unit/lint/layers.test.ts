import { describe, expect, it } from "vitest";

// The boundary rule of `npm run lint` (eslint/layers.js), checked on the cases the README names.
import { layerOf, refusal } from "../../../eslint/layers.js";

describe("the layer of a file", () => {
  it.each([
    ["routes/_app.plans._index.tsx", { layer: "route" }],
    ["server/db.server.ts", { layer: "server" }],
    ["kernel/money.ts", { layer: "kernel" }],
    ["features/plans/lifecycle.ts", { layer: "feature", feature: "plans", kind: "rules" }],
    ["features/plans/queries/plans.server.ts", { layer: "feature", feature: "plans", kind: "queries" }],
    ["features/credit/holds/queries.server.ts", { layer: "feature", feature: "credit/holds", kind: "queries" }],
    ["features/credit/holds/holds.server.ts", { layer: "feature", feature: "credit/holds", kind: "use-case" }],
    ["features/credit/rules.ts", { layer: "feature", feature: "credit", kind: "rules" }],
    ["features/plans/template.schema.ts", { layer: "feature", feature: "plans", kind: "schema" }],
    ["features/plans/components/index.ts", { layer: "feature", feature: "plans", kind: "index" }],
    ["features/plans/components/item-form.tsx", { layer: "feature", feature: "plans", kind: "component" }],
  ])("%s", (file, expected) => {
    expect(layerOf(file)).toMatchObject(expected);
  });
});

describe("what may import what", () => {
  it.each([
    // importer, source, resolved target (relative to app/), type-only
    ["features/plans/lifecycle.ts", "~/kernel/dates", "kernel/dates.ts", false],
    ["features/plans/plans.server.ts", "~/features/kpi/index.server", "features/kpi/index.server.ts", false],
    ["features/plans/plans.server.ts", "~/features/kpi", "features/kpi/index.ts", false],
    ["features/credit/holds/holds.ts", "~/features/credit/rules", "features/credit/rules.ts", false],
    ["features/plans/queries/plans.server.ts", "kysely", null, false],
    ["features/plans/plans.server.ts", "kysely", null, true],
    ["features/plans/schema.ts", "zod", null, false],
    ["features/plans/components/item-form.tsx", "zod", null, true],
    ["routes/_app.plans._index.tsx", "~/features/plans/plans.server", "features/plans/plans.server.ts", false],
  ])("%s may import %s", (importer, source, target, typeOnly) => {
    expect(refusal(importer, source, target, typeOnly)).toBeNull();
  });

  it.each([
    ["features/plans/plans.server.ts", "~/features/kpi/queries/summary.server", "features/kpi/queries/summary.server.ts", false, /Another feature \(kpi\)/],
    ["features/credit/holds/holds.server.ts", "~/features/credit/review/review", "features/credit/review/review.ts", false, /credit\/review/],
    ["features/plans/lifecycle.ts", "~/server/db.server", "server/db.server.ts", false, /Pure modules/],
    ["kernel/money.ts", "node:fs", null, false, /no I\/O/],
    ["kernel/ledger/rows.ts", "~/features/kpi", "features/kpi/index.ts", false, /kernel\/ is below/],
    ["features/plans/plans.server.ts", "kysely", null, false, /Kysely/],
    ["features/plans/lifecycle.ts", "zod", null, false, /zod lives in schema/],
    ["features/plans/plans.server.ts", "@remix-run/node", null, false, /routes\/ and server\//],
    ["routes/_app.plans._index.tsx", "~/features/plans/queries/plans.server", "features/plans/queries/plans.server.ts", false, /never its queries/],
    ["server/auth.server.ts", "~/features/users/users.server", "features/users/users.server.ts", false, /only through its index/],
    ["features/kpi/kpis.ts", "~/routes/_app._index", "routes/_app._index.tsx", false, /routes\//],
    ["server/auth.server.ts", "~/routes/login", "routes/login.tsx", false, /Nothing imports a route/],
  ])("%s may not import %s", (importer, source, target, typeOnly, why) => {
    expect(refusal(importer, source, target, typeOnly)).toMatch(why);
  });
});
