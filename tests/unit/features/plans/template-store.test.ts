import { describe, expect, it } from "vitest";

import type { QuarterNumber } from "~/kernel/dates";
import { kpiDefinition } from "~/features/kpi/register";
import { PLAN_TEMPLATE, type TemplateItem } from "~/features/plans/template";
import { createI18n } from "~/i18n";
import { newTemplateKey, templateItemFromRow, templateRowFrom } from "~/features/plans/queries/template.server";
import { present } from "../../../support/present";
import {
  addTemplateItemSchema,
  dueRuleMessage,
  saveTemplateItemSchema,
  templateItemFormValues,
  templateItemFromFields,
} from "~/features/plans/template.schema";

describe("the due rule in words", () => {
  const say = (locale: "en" | "zh-CN", due: TemplateItem["due"]) => {
    const { key, values } = dueRuleMessage(due);
    return createI18n(locale).t(key, values);
  };

  it.each([
    [{ month: 2, day: 15 }, "month 2 of the quarter, day 15", "季度第2个月15日"],
    [{ month: 1, day: 1 }, "month 1 of the quarter, day 1", "季度第1个月1日"],
    [{ month: 3, day: 28 }, "month 3 of the quarter, day 28", "季度第3个月28日"],
    [{ month: 3, day: "last" }, "month 3 of the quarter, last day", "季度第3个月最后一天"],
  ] as const)("%j reads %j / %j", (due, en, zh) => {
    expect(say("en", due)).toBe(en);
    expect(say("zh-CN", due)).toBe(zh);
  });
});

describe("stored rows and template items", () => {
  const everyStandardItem = ([1, 2, 3, 4] as QuarterNumber[]).flatMap((quarter) =>
    PLAN_TEMPLATE[quarter].map((item, index) => ({ quarter, index, item })),
  );

  it("round-trips every item of the standard template", () => {
    for (const { quarter, index, item } of everyStandardItem) {
      const row = templateRowFrom(item, quarter, index + 1, 7, "2026-11-23T10:00:00.000Z");
      expect(row).toMatchObject({ quarter, position: index + 1, key: item.key, updated_by: 7 });
      expect(templateItemFromRow(row as Parameters<typeof templateItemFromRow>[0])).toEqual(item);
    }
  });

  it("stores the last day as 0 and reads it back as the last day", () => {
    const item = PLAN_TEMPLATE[1].find((candidate) => candidate.due.day === "last")!;
    const row = templateRowFrom(item, 1, 1, null, "");
    expect(row.due_day).toBe(0);
    expect(templateItemFromRow({ ...(row as Parameters<typeof templateItemFromRow>[0]), due_day: 15 }).due.day).toBe(15);
  });

  it("takes the KPI's direction from the register and drops keys no longer linkable", () => {
    const base = templateRowFrom(present(PLAN_TEMPLATE[2][0], "a Q2 item"), 2, 1, null, "") as Parameters<typeof templateItemFromRow>[0];
    expect(templateItemFromRow({ ...base, kpi_key: "dso" }).kpi).toEqual({ key: "dso", better: kpiDefinition("dso").better });
    expect(templateItemFromRow({ ...base, kpi_key: "not_a_kpi" }).kpi).toBeNull();
    expect(templateItemFromRow({ ...base, kpi_key: null }).kpi).toBeNull();
    expect(templateItemFromRow({ ...base, category: "gone" }).category).toBe("other");
  });
});

describe("keys of new items", () => {
  it.each([
    ["Quarterly supplier check", [], "quarterly_supplier_check"],
    ["  Visit the top 10 debtors!  ", [], "visit_the_top_10_debtors"],
    ["2027 kick-off", [], "item_2027_kick_off"],
    ["催收大客户", [], "item"],
    ["Collection drive", ["collection_drive"], "collection_drive_2"],
    ["Collection drive", ["collection_drive", "collection_drive_2"], "collection_drive_3"],
  ])("%j with %j taken is %j", (title, taken, key) => {
    const made = newTemplateKey(title, new Set(taken));
    expect(made).toBe(key);
    expect(saveTemplateItemSchema.shape.key.safeParse(made).success).toBe(true);
  });
});

describe("the template forms' schema", () => {
  const item = present(PLAN_TEMPLATE[2][1], "a Q2 item");
  // The form sends the version of the item it showed; the built-in standard's items are version 1.
  const valid = { intent: "save-item", key: item.key, version: "1", ...templateItemFormValues(item) };
  const errorsOf = (fields: Record<string, string>) => {
    const result = saveTemplateItemSchema.safeParse(fields);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path[0], issue.message]));
  };

  it("turns the form back into the same item", () => {
    const parsed = saveTemplateItemSchema.parse(valid);
    const { intent: _intent, key, version, ...fields } = parsed;
    expect(version).toBe(1);
    expect(templateItemFromFields(key, fields)).toEqual(item);
  });

  it.each([
    [{ dueDay: "31" }, "dueDay", "planTemplate.validation.dueDay"],
    [{ dueDay: "0" }, "dueDay", "planTemplate.validation.dueDay"],
    [{ dueMonth: "4" }, "dueMonth", "planTemplate.validation.dueMonth"],
    [{ category: "lunch" }, "category", "planTemplate.validation.category"],
    [{ kpiKey: "happiness" }, "kpiKey", "planTemplate.validation.kpi"],
    [{ kpiKey: "aging" }, "kpiKey", "planTemplate.validation.kpi"],
    [{ titleEn: "   " }, "titleEn", "validation.required"],
    [{ titleZh: "" }, "titleZh", "validation.required"],
    [{ titleEn: "x".repeat(201) }, "titleEn", "planTemplate.validation.titleTooLong"],
    [{ key: "Robert'); DROP TABLE" }, "key", "planTemplate.validation.key"],
  ])("refuses %j at %s", (change, field, message) => {
    expect(errorsOf({ ...valid, ...change })).toEqual({ [field]: message });
  });

  it.each([undefined, "", "0", "1.5", "abc"])("refuses the version %j as a stale or forged form", (version) => {
    const { version: _v, ...withoutVersion } = valid;
    const fields = version === undefined ? withoutVersion : { ...withoutVersion, version };
    expect(errorsOf(fields)).toEqual({ version: "plans.validation.staleForm" });
  });

  it("accepts the last day and every day from 1 to 28, and an item without KPI", () => {
    for (const dueDay of ["last", "1", "15", "28"]) expect(errorsOf({ ...valid, dueDay })).toEqual({});
    const parsed = saveTemplateItemSchema.parse({ ...valid, kpiKey: "" });
    expect(templateItemFromFields(parsed.key, parsed).kpi).toBeNull();
  });

  it("names a quarter from 1 to 4 when adding", () => {
    const { intent: _i, key: _k, version: _v, ...fields } = valid;
    expect(addTemplateItemSchema.safeParse({ intent: "add-item", quarter: "2", ...fields }).success).toBe(true);
    expect(addTemplateItemSchema.safeParse({ intent: "add-item", quarter: "5", ...fields }).success).toBe(false);
  });
});
