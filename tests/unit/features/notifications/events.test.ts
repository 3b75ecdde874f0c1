import { describe, expect, it } from "vitest";

import { defaultChannel, digestsDueOn, effectiveChannel, mentionedUserIds, nextAttemptAt, readParams, weekday } from "~/features/notifications/events";
import { dateWords } from "~/features/notifications/render";

const users = [
  { id: 1, email: "li.wei@demo.quarterdeck" },
  { id: 2, email: "wang.fang@demo.quarterdeck" },
  { id: 3, email: "li@other.example" },
];

describe("mentions", () => {
  it("finds users named by e-mail or by the part before the @, and nobody else", () => {
    expect(mentionedUserIds("Please ask @li.wei.", users)).toEqual([1]);
    expect(mentionedUserIds("cc @wang.fang@demo.quarterdeck and @li", users)).toEqual([2, 3]);
    expect(mentionedUserIds("mail li.wei@demo.quarterdeck or @nobody", users)).toEqual([]);
    expect(mentionedUserIds("", users)).toEqual([]);
  });
});

describe("the outbox's back-off", () => {
  it("doubles from 30 seconds up to 6 hours", () => {
    const now = new Date("2026-12-07T00:00:00.000Z");
    const delays = [1, 2, 3, 4, 12, 20].map((attempts) => (nextAttemptAt(attempts, now).getTime() - now.getTime()) / 1000);
    expect(delays).toEqual([30, 60, 120, 240, 21_600, 21_600]);
  });
});

describe("choices", () => {
  it("sends what asks for action by e-mail unless the user chose otherwise", () => {
    expect(defaultChannel("plan_submitted")).toBe("email");
    expect(defaultChannel("item_assigned")).toBe("inbox");
    expect(effectiveChannel("plan_submitted", new Map([["plan_submitted", "none"]]))).toBe("none");
  });
});

describe("the digests' days", () => {
  it("are Mondays for the weekly ones and the 1st for leadership", () => {
    expect(weekday("2026-12-07")).toBe(1);
    expect(weekday("1970-01-01")).toBe(4);
    expect(digestsDueOn("2026-12-07")).toEqual(["staff", "head"]);
    expect(digestsDueOn("2026-12-01")).toEqual(["leadership"]);
    expect(digestsDueOn("2027-02-01")).toEqual(["staff", "head", "leadership"]);
    expect(digestsDueOn("2026-12-08")).toEqual([]);
  });
});

describe("stored parameters", () => {
  it("are read back without trusting their shape", () => {
    expect(readParams('{"plan":"2026 Q4","amount":1200,"x":{"y":1}}')).toEqual({ plan: "2026 Q4", amount: 1200 });
    expect(readParams("not json")).toEqual({});
    expect(readParams("[1]")).toEqual({});
  });
  it("write dates as the pages do", () => {
    expect(dateWords("2026-12-07", "en")).toBe("7 Dec 2026");
    expect(dateWords("2026-12-07", "zh-CN")).toBe("2026年12月7日");
  });
});
