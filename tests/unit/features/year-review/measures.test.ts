import { describe, expect, it } from "vitest";

import { type YearMeasures, measureSentences, measureSentencesByTable } from "~/features/year-review/measures";

const WAN = 1_000_000;

function measures(overrides: Partial<YearMeasures> = {}): YearMeasures {
  return {
    from: "2025-01-01",
    to: "2025-12-31",
    actions: [
      { kind: "visit", count: 3, customers: 2, collectedAfter: 8611 * WAN },
      { kind: "lawyer_letter", count: 1, customers: 1, collectedAfter: 0 },
      { kind: "call", count: 0, customers: 0, collectedAfter: 0 },
    ],
    holds: [
      { kind: "cash_before_delivery", set: 2, released: 1, heldAtEnd: 1, overdueOfHeld: 120 * WAN },
      { kind: "stop_shipment", set: 0, released: 0, heldAtEnd: 0, overdueOfHeld: 0 },
    ],
    grades: [
      { customerId: 1, code: "C1", name: "哈轻", from: "B", to: "A", direction: "promoted", on: "2025-06-30" },
      { customerId: 2, code: "C2", name: "一汽客车", from: "B", to: "C", direction: "demoted", on: "2025-09-30" },
    ],
    decisions: [
      { decision: "accept", count: 5, approved: 0, declined: 0, waiting: 0 },
      { decision: "modify", count: 2, approved: 1, declined: 1, waiting: 0 },
      { decision: "reject", count: 0, approved: 0, declined: 0, waiting: 0 },
    ],
    confirmations: { all: { name: null, total: 4, sent: 3, returned: 2, matched: 1, mismatched: 1 }, byOwner: [], byRegion: [] },
    adjustments: [
      { type: "write_off", count: 1, amount: 2 * WAN },
      { type: "offset", count: 2, amount: 15 * WAN },
      { type: "credit_note", count: 4, amount: WAN },
    ],
    topCollections: [{ customerId: 1, code: "C1", name: "哈轻", payments: 8611 * WAN, offsets: 0, total: 8611 * WAN }],
    ...overrides,
  };
}

describe("measureSentences", () => {
  it("writes one sentence per table with records, in Chinese", () => {
    const byTable = measureSentencesByTable(measures(), "CNY", "zh");
    expect(byTable.actions).toEqual(["全年共记录催收措施4次：上门走访3次、律师函1次；采取上门走访的客户此后回款8,611万元。"]);
    expect(byTable.holds).toEqual(["对逾期客户实行款到发货2户次，解除1户次，年末仍有1户，涉及客户年末逾期120.00万元。"]);
    expect(byTable.grades).toEqual(["按信用等级规则晋级1户、降级1户。"]);
    expect(byTable.decisions).toEqual(["授信评审决定7项：同意5项、调整2项、不同意0项。"]);
    expect(byTable.confirmations).toEqual(["共发出对账函3份，收回2份，收回率66.7%，余额不符1份。"]);
    expect(byTable.adjustments).toEqual(["坏账核销1笔，金额2.00万元。", "三方抹账2笔，金额15.00万元。"]);
    expect(byTable.collections).toEqual(["回款较多的客户：哈轻付8,611万元。"]);
    expect(measureSentences(measures(), "CNY", "zh")).toHaveLength(8);
  });

  it("writes them in English, and none for a year without records", () => {
    expect(measureSentencesByTable(measures(), "CNY", "en").actions).toEqual([
      "4 collection actions were recorded: visits 3, lawyer's letters 1; the customers who got visits paid CN¥86,110,000.00 afterwards.",
    ]);
    // a sentence of its own: capitalised, one customer in the singular
    expect(measureSentencesByTable(measures(), "CNY", "en").holds).toEqual([
      "Cash before delivery: 2 holds set and 1 released; 1 customer still held at the end, the customers held owing CN¥1,200,000.00 overdue.",
    ]);
    const empty = measures({
      actions: [],
      holds: [],
      grades: [],
      decisions: [],
      confirmations: { all: { name: null, total: 0, sent: 0, returned: 0, matched: 0, mismatched: 0 }, byOwner: [], byRegion: [] },
      adjustments: [],
      topCollections: [],
    });
    expect(measureSentences(empty, "CNY", "en")).toEqual([]);
  });
});
