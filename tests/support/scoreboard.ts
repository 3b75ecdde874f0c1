import { getDb } from "~/server/db.server";
import { instantOnBusinessDate } from "./business-date";
import type { ScoreboardView } from "~/features/scoreboard/scoreboard";
import type { Actor } from "~/features/plans/lifecycle";
import { createUser } from "~/features/users/index.server";
import { createItem, createPlan, getPlan, setItemStatus, transition } from "~/features/plans/plans.server";
import { loader as pageLoader } from "~/routes/_app.scoreboard._index";
import { itemFieldsSchema } from "~/features/plans/schema";
import { expect } from "vitest";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "./app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "./ledger";

/** What the scoreboard page loader gives, unwrapped from the 400's `data()`. */
export interface PageData {
  form: { start: string; end: string };
  fieldErrors: Record<string, string[]>;
  board: ScoreboardView | null;
}

type Board = ScoreboardView;

export const Q2 = { start: "2025-04-01", end: "2025-06-30" };
export const HOSTILE_NAME = '=HYPERLINK("http://x","y")';
export const HOSTILE_EMAIL = "hostile@example.test";
export const cookies = { head: "", staff: "", leader: "", admin: "" };
export const actors: Record<"head" | "staff" | "leader", Actor> = { head: { id: 0, role: "head" }, staff: { id: 0, role: "staff" }, leader: { id: 0, role: "leader" } };

function itemFields(ownerId: number, dueDate: string, title: string) {
  return itemFieldsSchema.parse({ title, category: "collection", ownerId: String(ownerId), dueDate });
}

/**
 * The scoreboard's ledger and people, made once per test file: the fixture ledger, an owner whose
 * name would be a formula and a customer without an owner (both paying in Q2), the approved Q2
 * plan with items done early, late, not at all, cancelled and on the day, and a draft's item.
 * Fills `cookies` and `actors`.
 */
export async function scoreboardLedger(): Promise<void> {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  actors.head.id = head.id;
  actors.staff.id = staff.id;
  actors.leader.id = leader.id;
  await createUser(getDb(), { email: HOSTILE_EMAIL, name: HOSTILE_NAME, role: "staff", passwordHash: null }, null);
  await importLedgerFixture();
  // One customer of an owner whose name would be a formula, one more without an owner; both pay in Q2.
  await importIntoTestDb([
    {
      kind: "customers",
      source: csvSource("extra-customers.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit",
        `EVIL-1,"=HYPERLINK(""http://x"",""z"")",East,${HOSTILE_EMAIL},C,1000`,
        "LOOSE-1,Loose Ends Ltd,North,,C,1000",
      ]),
    },
    {
      kind: "invoices",
      source: csvSource("extra-invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        "EVIL-INV-1,EVIL-1,2025-02-01,2025-03-01,800.00",
        "LOOSE-INV-1,LOOSE-1,2025-02-10,2025-03-10,2500.00",
        "LOOSE-INV-2,LOOSE-1,2025-05-01,2025-05-31,400.00",
      ]),
    },
    {
      kind: "payments",
      source: csvSource("extra-payments.csv", [
        "payment_no,customer_code,date,amount,invoice_no",
        "EVIL-PAY-1,EVIL-1,2025-04-15,300.00,EVIL-INV-1",
        "LOOSE-PAY-1,LOOSE-1,2025-06-01,1234.56,",
      ]),
    },
  ]);

  // Q2 2025 plan, approved: staff's items done early, late, not done, cancelled; the head's on the due date.
  const db = getDb();
  const planId = await createPlan(db, actors.head, { fiscalYear: 2025, quarter: 2, source: "empty", language: "en" }, "2025-04-01");
  const early = await createItem(db, actors.head, planId, itemFields(staff.id, "2025-05-15", "Early"), "2025-04-01");
  const late = await createItem(db, actors.head, planId, itemFields(staff.id, "2025-05-31", "Late"), "2025-04-01");
  await createItem(db, actors.head, planId, itemFields(staff.id, "2025-06-30", "Not done"), "2025-04-01");
  const cancelled = await createItem(db, actors.head, planId, itemFields(staff.id, "2025-06-01", "Cancelled"), "2025-04-01");
  const onTheDay = await createItem(db, actors.head, planId, itemFields(head.id, "2025-06-15", "On the day"), "2025-04-01");
  await createItem(db, actors.head, planId, itemFields(head.id, "2025-07-10", "After the period"), "2025-04-01");
  let plan = await getPlan(db, planId);
  plan = await transition(db, actors.head, planId, plan.version, { type: "submit" }, "2025-04-02");
  await transition(db, actors.leader, planId, plan.version, { type: "approve" }, "2025-04-02");
  const tick = async (actor: Actor, itemId: number, status: "done" | "cancelled", day: string) => {
    const item = (await getPlan(db, planId)).items.find((candidate) => candidate.id === itemId)!;
    await setItemStatus(db, actor, itemId, item.version, { status, reason: "", note: "" }, day);
  };
  await tick(actors.staff, early, "done", "2025-05-10");
  await tick(actors.staff, late, "done", "2025-06-05");
  await tick(actors.head, cancelled, "cancelled", "2025-05-01");
  await tick(actors.head, onTheDay, "done", "2025-06-15");
  // A draft plan's item due in Q2 is a proposal, not agreed work: not counted.
  const draftId = await createPlan(db, actors.head, { fiscalYear: 2025, quarter: 1, source: "empty", language: "en" }, "2025-01-02");
  await createItem(db, actors.head, draftId, itemFields(staff.id, "2025-04-10", "Draft"), "2025-01-02");

  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  cookies.admin = await signIn(admin.email);
}

export async function board(query: string, cookie = cookies.head): Promise<Board> {
  const result = await call(pageLoader, get(`/scoreboard?${query}`, cookie));
  expect(statusOf(result)).toBe(200);
  const loaded = payloadOf<PageData>(result);
  expect(loaded.board).not.toBeNull();
  return loaded.board!;
}

/** A promise to pay of EVIL-1 (owned by the staff member with the formula name) pays 300.00 on 2025-04-15 and nothing after), with its collection action; its id. */
export async function promiseOfEvil1(madeOn: string, dueOn: string, amount: number): Promise<number> {
  const db = getDb();
  const customer = await db.selectFrom("customers").select("id").where("code", "=", "EVIL-1").executeTakeFirstOrThrow();
  const now = instantOnBusinessDate().toISOString();
  const action = await db
    .insertInto("collection_actions")
    .values({ customer_id: customer.id, user_id: null, kind: "promise_to_pay", action_date: madeOn, amount, created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto("payment_promises")
    .values({ customer_id: customer.id, action_id: action.id, kind: "promise", sequence: 1, made_on: madeOn, due_on: dueOn, amount, created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export function storedPromise(id: number) {
  return getDb().selectFrom("payment_promises").select(["status", "paid", "kept_on", "evaluated_on"]).where("id", "=", id).executeTakeFirstOrThrow();
}
