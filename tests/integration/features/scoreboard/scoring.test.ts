import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { openingDate } from "~/features/scoreboard/scoreboard";
import type { ScoredScoreboardView } from "~/features/scoreboard/scoreboard.server";
import { DEFAULT_SCORING_RULES, type ScoringRules, scoreOwners } from "~/features/scoreboard/scoring";
import { getScoringRules, promisesByOwner } from "~/features/scoreboard/scoring.server";
import { loader as exportLoader } from "~/routes/_app.scoreboard.export";
import { action as rulesAction, loader as rulesLoader } from "~/routes/_app.scoreboard.rules";
import { call, get, payloadOf, post, statusOf } from "../../../support/app";
import { Q2, board, cookies, scoreboardLedger } from "../../../support/scoreboard";

beforeAll(scoreboardLedger);

const QUERY = `start=${Q2.start}&end=${Q2.end}`;

async function scored(cookie = cookies.head) {
  return (await board(QUERY, cookie)) as unknown as ScoredScoreboardView;
}

function rulesFields(rules: ScoringRules, basedOn: number): Record<string, string> {
  return {
    intent: "save-scoring-rules",
    basedOn: String(basedOn),
    "weights.collectionRate": String(rules.weights.collectionRate),
    "weights.overdueReduction": String(rules.weights.overdueReduction),
    "weights.promisesKept": String(rules.weights.promisesKept),
    "weights.itemsOnTime": String(rules.weights.itemsOnTime),
    warnBelow: String(rules.warnBelow),
  };
}

async function stored() {
  return getDb().selectFrom("scoring_rules").selectAll().executeTakeFirstOrThrow();
}

async function auditCount() {
  return Number((await getDb().selectFrom("audit_log").select((eb) => eb.fn.countAll().as("n")).where("entity", "=", "scoring_rules").executeTakeFirstOrThrow()).n);
}

// Each test starts from the rules the migration seeded.
beforeEach(async () => {
  const { weights, warnBelow } = DEFAULT_SCORING_RULES;
  await getDb()
    .updateTable("scoring_rules")
    .set({
      weight_collection_rate: weights.collectionRate,
      weight_overdue_reduction: weights.overdueReduction,
      weight_promises_kept: weights.promisesKept,
      weight_items_on_time: weights.itemsOnTime,
      warn_below: warnBelow,
      updated_by: null,
    })
    .execute();
});

describe("the scoring rules", () => {
  it("are seeded with the defaults and shown to everyone who reads the scoreboard, editable by the head only", async () => {
    const asStaff = payloadOf<{ rules: ScoringRules; canEdit: boolean }>(await call(rulesLoader, get("/scoreboard/rules", cookies.staff)));
    expect(asStaff.rules).toEqual(DEFAULT_SCORING_RULES);
    expect(asStaff.canEdit).toBe(false);
    expect(payloadOf<{ canEdit: boolean }>(await call(rulesLoader, get("/scoreboard/rules", cookies.head))).canEdit).toBe(true);
  });

  it("the head saves new weights: stored, version raised, audited with before and after", async () => {
    const before = await getScoringRules(getDb());
    const audits = await auditCount();
    const next: ScoringRules = { weights: { collectionRate: 40, overdueReduction: 40, promisesKept: 10, itemsOnTime: 10 }, warnBelow: 70 };
    expect(payloadOf(await call(rulesAction, post("/scoreboard/rules", rulesFields(next, before.version), cookies.head)))).toEqual({ ok: true, changed: true });
    const after = await getScoringRules(getDb());
    expect(after.rules).toEqual(next);
    expect(after.version).toBe(before.version + 1);
    expect(after.updatedByName).not.toBeNull();
    expect(await auditCount()).toBe(audits + 1);
    const entry = await getDb().selectFrom("audit_log").selectAll().where("entity", "=", "scoring_rules").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(entry.before ?? "null")).toEqual(before.rules);
    expect(JSON.parse(entry.after ?? "null")).toEqual(next);
    // the same rules again change nothing
    expect(payloadOf(await call(rulesAction, post("/scoreboard/rules", rulesFields(next, after.version), cookies.head)))).toEqual({ ok: true, changed: false });
    expect((await getScoringRules(getDb())).version).toBe(after.version);
    expect(await auditCount()).toBe(audits + 1);
  });

  it.each([
    ["weights that do not add up to 100", { "weights.itemsOnTime": "21" }, { weights: ["scoreboard.scoring.validation.sum"] }],
    ["a weight over 100", { "weights.collectionRate": "130", "weights.overdueReduction": "0", "weights.promisesKept": "0", "weights.itemsOnTime": "-30" }, null],
    ["a weight that is not a whole number", { "weights.collectionRate": "29.5", "weights.overdueReduction": "30.5" }, { "weights.collectionRate": ["scoreboard.scoring.validation.range"], "weights.overdueReduction": ["scoreboard.scoring.validation.range"] }],
    ["a threshold over 100", { warnBelow: "101" }, { warnBelow: ["scoreboard.scoring.validation.range"] }],
    ["a missing threshold", { warnBelow: undefined }, null],
    ["a forged version", { basedOn: "x" }, { basedOn: ["scoreboard.scoring.validation.staleForm"] }],
  ])("refuses %s with 400 and its reason, and changes nothing", async (_label, change, errors) => {
    const before = await stored();
    const audits = await auditCount();
    const fields: Record<string, string> = rulesFields(DEFAULT_SCORING_RULES, before.version);
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) delete fields[key];
      else fields[key] = value;
    }
    const result = await call(rulesAction, post("/scoreboard/rules", fields, cookies.head));
    expect(statusOf(result)).toBe(400);
    const refusal = payloadOf<{ ok: false; fieldErrors: Record<string, string[]> }>(result);
    expect(refusal.ok).toBe(false);
    if (errors) expect(refusal.fieldErrors).toEqual(errors);
    else expect(Object.keys(refusal.fieldErrors).length).toBeGreaterThan(0);
    expect(await stored()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it("refuses a save based on an older version with 409 and the stored rules, and changes nothing", async () => {
    const before = await stored();
    const audits = await auditCount();
    const stale = { weights: { collectionRate: 25, overdueReduction: 25, promisesKept: 25, itemsOnTime: 25 }, warnBelow: 50 };
    const result = await call(rulesAction, post("/scoreboard/rules", rulesFields(stale, before.version - 1 || before.version + 1), cookies.head));
    expect(statusOf(result)).toBe(409);
    expect(payloadOf<{ code: string; current: unknown }>(result)).toMatchObject({ code: "conflict", current: DEFAULT_SCORING_RULES });
    expect(await stored()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it("refuses staff and leadership (403) and changes nothing", async () => {
    const before = await stored();
    for (const cookie of [cookies.staff, cookies.leader]) {
      const fields = rulesFields({ weights: { collectionRate: 100, overdueReduction: 0, promisesKept: 0, itemsOnTime: 0 }, warnBelow: 0 }, before.version);
      expect(statusOf(await call(rulesAction, post("/scoreboard/rules", fields, cookie)))).toBe(403);
    }
    expect(await stored()).toEqual(before);
  });
});

describe("points on the scoreboard", () => {
  async function expectedScores(rules: ScoringRules, rows: ScoredScoreboardView["rows"]) {
    const promises = await promisesByOwner(getDb(), Q2);
    const inputs = await Promise.all(
      rows.map(async (row) => {
        const { values } = await kpiValues(getDb(), resolveKpiRequest({ asOf: Q2.end, scope: `owner:${row.email}`, periodStart: Q2.start, baseline: openingDate(Q2) }));
        return {
          ownerId: row.ownerId,
          scorable: row.rank !== null,
          collectionRate: row.customers > 0 ? values.collection_rate : null,
          overdueAtStart: values.overdue_at_baseline,
          overdueAtEnd: values.overdue_total,
          promises: promises.get(row.ownerId) ?? { due: 0, done: 0 },
          items: { due: row.items.due, done: row.items.onTime },
        };
      }),
    );
    return scoreOwners(inputs, rules);
  }

  it("gives each owner the pure function's points, rank and warning under the stored rules, and follows a change of rules", async () => {
    const q2 = await scored();
    expect(q2.scoring).toEqual(DEFAULT_SCORING_RULES);
    expect(q2.rows.map((row) => row.score)).toEqual(await expectedScores(DEFAULT_SCORING_RULES, q2.rows));
    expect(q2.rows.some((row) => row.score.points !== null)).toBe(true);

    // the head raises the threshold to 100: every scored owner below full marks is flagged
    const { version } = await getScoringRules(getDb());
    const strict: ScoringRules = { weights: { collectionRate: 10, overdueReduction: 60, promisesKept: 10, itemsOnTime: 20 }, warnBelow: 100 };
    expect(statusOf(await call(rulesAction, post("/scoreboard/rules", rulesFields(strict, version), cookies.head)))).toBe(200);
    const after = await scored();
    expect(after.rows.map((row) => row.score)).toEqual(await expectedScores(strict, after.rows));
    for (const row of after.rows) expect(row.score.warning).toBe(row.score.points !== null && row.score.points < 100);
  });

  it("staff see their own row with their score and rank among everyone", async () => {
    const head = await scored();
    const staff = await scored(cookies.staff);
    expect(staff.rows).toHaveLength(1);
    expect(staff.rows[0]?.score).toEqual(head.rows.find((row) => row.email === "staff@demo.quarterdeck")?.score);
  });

  it("exports the points, rank by points and warning per owner", async () => {
    const q2 = await scored();
    const response = (await call(exportLoader, get(`/scoreboard/export?format=csv&${QUERY}`, cookies.head))) as Response;
    const lines = (await response.text()).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]?.endsWith(",Points,Rank by points,Scoring warning")).toBe(true);
    for (const row of q2.rows) {
      const cells = lines.find((line) => line.includes(row.email))!.split(",");
      expect(cells.slice(-3)).toEqual([
        row.score.points === null ? "" : row.score.points.toFixed(1),
        row.score.rank === null ? "" : String(row.score.rank),
        row.score.warning ? "Below threshold" : "",
      ]);
    }
    // the unowned and totals lines carry no score
    expect(lines[lines.length - 1]?.endsWith(",,,")).toBe(true);
  });
});
