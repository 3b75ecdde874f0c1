import { describe, expect, it } from "vitest";

import { createI18n } from "~/i18n";
import { eventText } from "~/features/notifications/render";

describe("a notification's words", () => {
  it("say one warning by its customer and rule, and many at once by their number and the most severe", () => {
    const en = createI18n("en").t;
    const zh = createI18n("zh-CN").t;
    expect(eventText("warning_raised", { subject: "C1 Acme", rule: "over_limit", severity: "warning" }, "en", en)).toMatch(/^New early warning \(Warning\) on C1 Acme: /);
    expect(eventText("warning_raised", { count: 7967, severity: "critical" }, "en", en)).toBe(
      "7,967 new early warnings in one check (the most severe: Critical): see the list of warnings.",
    );
    expect(eventText("warning_raised", { count: 7967, severity: "critical" }, "zh-CN", zh)).toMatch(/^一次检查新增 7,967 条预警（最高级别：.+），请查看预警列表。$/);
  });

  it("say one file or several files imported", () => {
    const en = createI18n("en").t;
    const zh = createI18n("zh-CN").t;
    expect(eventText("import_finished", { files: 1 }, "en", en)).toBe("Your import finished: 1 file imported.");
    expect(eventText("import_finished", { files: 4 }, "en", en)).toBe("Your import finished: 4 files imported.");
    expect(eventText("import_finished", { files: 4 }, "zh-CN", zh)).toBe("您的导入已完成：导入了 4 个文件。");
  });
});
