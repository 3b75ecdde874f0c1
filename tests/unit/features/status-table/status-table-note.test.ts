import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { StaticRouterProvider, createStaticHandler, createStaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";

import { StatusTable } from "~/features/status-table/components/status-table";
import { statusEn, statusZhCN } from "~/features/status-table/messages";
import { emptyAging } from "~/features/kpi/kpis";
import { type Locale, createI18n } from "~/i18n";

const totals = { customers: 0, opening: 0, billed: 0, collected: 0, otherMovements: 0, closing: 0, overdue: 0, aging: emptyAging(), overdueChange: 0 };

/** The table as the page renders it, under a root route whose loader data says the viewer's language and amount unit. */
async function render(locale: Locale, amountUnit: "yuan" | "wan"): Promise<string> {
  const handler = createStaticHandler([
    {
      id: "root",
      path: "/",
      loader: () => ({ locale, amountUnit, user: null }),
      children: [{ index: true, element: createElement(StatusTable, { rows: [], totals, caption: "Status", emptyText: "none" }) }],
    },
  ]);
  const context = await handler.query(new Request("http://quarterdeck.test/"));
  if (context instanceof Response) throw new Error("the root route answered a response");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n: createI18n(locale) }, createElement(StaticRouterProvider, { router, context, hydrate: false })));
}

describe("the status table's roll-forward note", () => {
  it("says the rounded figures need not add up when the amounts are shown in 万元", async () => {
    const html = await render("zh-CN", "wan");
    expect(html).toContain("每行都能勾稽");
    expect(html).toContain("金额以万元为单位逐项四舍五入显示");
  });

  it("says nothing of rounding when every amount is shown exactly", async () => {
    expect(await render("zh-CN", "yuan")).not.toContain("四舍五入");
    // 万元 is a Chinese display only: English pages show whole currency units
    const english = await render("en", "wan");
    expect(english).toContain("Each row adds up");
    expect(english).not.toContain("rounded");
  });

  it("has the note in both languages, with the unit filled in", () => {
    expect(statusEn.roundedNote).toContain("{{unit}}");
    expect(statusZhCN.roundedNote).toContain("{{unit}}");
  });
});
