import { type ReactElement, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";

import { EditForms, Totals } from "~/features/provisions/components/provisions-page";
import { ExportLinks, RunList } from "~/features/provisions/components/runs";
import type { ProvisionPageData } from "~/features/provisions/page.server";
import type { ProvisionResult } from "~/features/provisions/provision.server";
import { type Locale, createI18n } from "~/i18n";

/** A component as the page renders it, under a root route whose loader data says the viewer's language. */
async function render(locale: Locale, element: ReactElement): Promise<string> {
  const handler = createStaticHandler([{ id: "root", path: "/", loader: () => ({ locale, amountUnit: "yuan", user: null }), children: [{ index: true, element }] }]);
  const context = await handler.query(new Request("http://quarterdeck.test/"));
  if (context instanceof Response) throw new Error("the root route answered a response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n: createI18n(locale) }, createElement(StaticRouterProvider, { router, context, hydrate: false })));
}

const result = (method: "ladder" | "matrix"): ProvisionResult => ({
  asOf: "2026-12-08",
  method,
  basis: "issue",
  scope: "company",
  bands: [],
  specific: [],
  total: 100,
  grossReceivables: 1_000,
  ratio: 0.1,
  matrix: null,
  customTable: false,
});

const page = { asOf: "2026-12-08", tables: [], adjustments: [], canEdit: true, canApprove: false } as unknown as ProvisionPageData;

describe("the provisions page's parts", () => {
  it("captions the totals once, not again as the first column's header", async () => {
    const html = await render("en", createElement(Totals, { ladder: result("ladder"), matrix: result("matrix") }));
    expect(html.match(/Total provision/g)).toHaveLength(1);
    expect(html).toContain('<th scope="col">Method</th>');
  });

  it("labels the downloads with the language's own colon", async () => {
    const zh = await render("zh-CN", createElement(ExportLinks, { asOf: "2026-12-08", basis: "issue" }));
    expect(zh).toContain("按账龄段的计提明细：");
    expect(zh).not.toMatch(/[\u4e00-\u9fff]:/);
    expect(await render("en", createElement(ExportLinks, { asOf: "2026-12-08", basis: "issue" }))).toContain("Schedule by band:");
  });

  it("lays the forms out as the app's fields, each refusal under its field in the error style", async () => {
    const html = await render(
      "en",
      createElement(EditForms, { data: page, errors: { effectiveFrom: ["provisions.form.effectiveTooEarly"], value: ["provisions.form.amountAboveBalance"] }, intent: "specific" }),
    );
    expect(html).toContain('class="field"');
    expect(html).toContain('class="form-grid"');
    expect(html).toMatch(/<p class="field__error" id="specific-effectiveFrom-error">Give a date no earlier than the ledger&#x27;s first document\.<\/p>/);
    expect(html).toMatch(/id="specific-value"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="specific-value"/);
    expect(html).toContain("The amount is more than the customer owes");
    // a section apart from the one before it
    expect(html).toContain('<section aria-labelledby="tables-title" class="section">');
  });

  it("offers the run draft the loader's defaults, in fields, with its refusal under the date", async () => {
    const html = await render(
      "en",
      createElement(RunList, { runs: [], period: null, canDraft: true, draft: { periodEnd: "2026-11-30", kind: "month" }, errors: { periodEnd: ["provisions.runs.notPeriodEnd"] } }),
    );
    expect(html).toContain('<section aria-labelledby="runs-title" class="section">');
    expect(html).toMatch(/name="periodEnd"[^>]*value="2026-11-30"|value="2026-11-30"[^>]*name="periodEnd"/);
    expect(html).toContain('class="field__error" id="run-periodEnd-error"');
  });
});
