import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { allKpiValues, kpiAnswer, kpiObject, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { KpiReader } from "~/features/plans/plans.server";
import { computeProvision } from "~/features/provisions/index.server";
import { PROVISION_KPI_KEYS } from "~/features/provisions/kpis";
import { makeUser } from "../../../support/app";
import { NEEQ_AS_OF, importProvisionLedger } from "../../../support/provision-ledger";

const owners = { a: "kpis.owner.a@example.test", b: "kpis.owner.b@example.test" };

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importProvisionLedger(owners);
});

const provisionOf = (asOf: string, method: "ladder" | "matrix", scope: { type: "company" } | { type: "customer"; code: string } = { type: "company" }) =>
  computeProvision(getDb(), { asOf, method, basis: null, table: null, scope });

describe("the provision KPIs through the KPI service", () => {
  it("equal the provisions page's ladder and matrix, for the company and for one customer", async () => {
    for (const [scope, words] of [
      [{ type: "company" }, "company"],
      [{ type: "customer", code: "NEEQ" }, "customer:NEEQ"],
    ] as const) {
      const ladder = await provisionOf(NEEQ_AS_OF, "ladder", scope);
      const matrix = await provisionOf(NEEQ_AS_OF, "matrix", scope);
      const { values } = await allKpiValues(getDb(), resolveKpiRequest({ asOf: NEEQ_AS_OF, scope: words }));
      expect(values.provision_total).toBe(ladder.total);
      expect(values.provision_ratio).toBe(ladder.total / values.ar_total);
      expect(values.expected_loss_rate).toBe(matrix.total / values.ar_total);
      // gross receivables are the accounts receivable total
      expect(ladder.grossReceivables).toBe(values.ar_total);
    }
    // NEEQ alone is the published table: 1,818,100.42 provided on 14,698,067.80 (12.37 %)
    const neeq = (await allKpiValues(getDb(), resolveKpiRequest({ asOf: NEEQ_AS_OF, scope: "customer:NEEQ" }))).values;
    expect(neeq.provision_total).toBe(181_810_042);
    expect(neeq.provision_ratio).toBeCloseTo(0.1237, 4);
  });

  it("reach plan items through the KPI reader", async () => {
    const reader = new KpiReader(getDb());
    expect(await reader.value("provision_total", { type: "customer", code: "NEEQ" }, NEEQ_AS_OF)).toBe(181_810_042);
    const ratio = await reader.value("expected_loss_rate", { type: "owner", email: owners.a }, NEEQ_AS_OF);
    expect(ratio).not.toBeNull();
  });

  it("are in the CLI's and the API's object, in major units, and not in the summaries-only section-5 object", async () => {
    const answer = await kpiAnswer(getDb(), { asOf: NEEQ_AS_OF, scope: "customer:NEEQ" });
    expect(answer.provision_total).toBe(1_818_100.42);
    expect(answer.provision_ratio).toBeCloseTo(0.1237, 4);
    const plain = await kpiObject(getDb(), { asOf: NEEQ_AS_OF });
    for (const key of PROVISION_KPI_KEYS) expect(plain).not.toHaveProperty(key);
  });
});
