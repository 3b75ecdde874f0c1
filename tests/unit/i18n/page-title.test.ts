import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { pageTitle } from "~/i18n/page-title";

/** What Remix hands a route's `meta`: the matched routes, the root's data carrying the request's locale. */
function matched(locale: unknown) {
  return { matches: [{ id: "root", data: { locale } }, { id: "routes/_app", data: {} }] };
}

describe("page titles", () => {
  it("names the page in the language the root resolved", () => {
    expect(pageTitle(matched("zh-CN"), "status")).toEqual([{ title: "应收账款情况表 · Quarterdeck" }]);
    expect(pageTitle(matched("en"), "status")).toEqual([{ title: "Receivables status · Quarterdeck" }]);
  });

  it("puts values in and data before the page's name", () => {
    expect(pageTitle(matched("zh-CN"), "yearReview", { year: 2026 })).toEqual([{ title: "2026年度逾期账款管理评审总结 · Quarterdeck" }]);
    expect(pageTitle(matched("en"), "periodReport", { year: 2026, period: "H1" })).toEqual([{ title: "Report H1 2026 · Quarterdeck" }]);
    expect(pageTitle(matched("zh-CN"), "collectionAction", {}, "C0042")).toEqual([{ title: "C0042 · 催收记录 · Quarterdeck" }]);
  });

  it("falls back to English when the root has no locale (an error before the root loader ran) or a forged one", () => {
    expect(pageTitle({ matches: [] }, "signIn")).toEqual([{ title: "Sign in · Quarterdeck" }]);
    expect(pageTitle(matched("fr"), "signIn")).toEqual([{ title: "Sign in · Quarterdeck" }]);
    expect(pageTitle({ matches: [{ id: "root", data: null }] }, "signIn")).toEqual([{ title: "Sign in · Quarterdeck" }]);
  });

  it("is what every route's title goes through: no route writes a title in English of its own", () => {
    const routes = path.resolve("app/routes");
    const literal = fs
      .readdirSync(routes)
      .filter((file) => /\bexport const meta\b/.test(fs.readFileSync(path.join(routes, file), "utf8")))
      .filter((file) => /· Quarterdeck|title:\s*["`]/.test(fs.readFileSync(path.join(routes, file), "utf8")));
    expect(literal).toEqual([]);
  });

  it("is given by every page (a layout that only frames its pages aside), so no tab reads just the app's name", () => {
    const routes = path.resolve("app/routes");
    const untitled = fs.readdirSync(routes).filter((file) => {
      const source = fs.readFileSync(path.join(routes, file), "utf8");
      return file.endsWith(".tsx") && /\bexport default\b/.test(source) && !/\bexport const meta\b/.test(source) && !/<Outlet\b/.test(source);
    });
    expect(untitled).toEqual([]);
  });
});
