import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { databaseUrl, getDb } from "~/server/db.server";
import { addComment } from "~/features/plans/plans.server";
import { changeHold } from "~/features/credit/holds/index.server";
import { runImportJob } from "~/features/import/job.server";
import { raiseTimeEvents } from "~/features/notifications/index.server";
import { makeUser } from "../../../support/app";
import { LEDGER_FIXTURE_FILES } from "../../../support/ledger";
import { actorByEmail, clearPlans, makePlan } from "../../../support/plans";

const TODAY = "2025-08-12";
const people = { head: "", leader: "", staff: "", other: "" };
const ids = { head: 0, staff: 0, other: 0 };

/** The kinds and links in a user's inbox, oldest first. */
const inboxOf = (userId: number) =>
  getDb()
    .selectFrom("notifications")
    .innerJoin("notification_events", "notification_events.id", "notifications.event_id")
    .select(["notification_events.kind", "notification_events.link", "notification_events.params"])
    .where("notifications.user_id", "=", userId)
    .orderBy("notifications.id")
    .execute();

beforeAll(async () => {
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  const staff = await makeUser("staff", { email: "li.wei@example.test" });
  const other = await makeUser("staff");
  Object.assign(people, { head: head.email, leader: leader.email, staff: staff.email, other: other.email });
  Object.assign(ids, { head: head.id, staff: staff.id, other: other.id });
});
beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  await clearPlans(getDb());
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("events raised by the use cases", () => {
  it("tells the new owner of an item, and the mentioned and the owner of a comment", async () => {
    const before = (await inboxOf(ids.staff)).length;
    const { planId, itemIds } = await makePlan(getDb(), people, { fiscalYear: 2025, quarter: 3, items: [{ title: "Chase Harbour Trading", owner: people.staff, dueDate: "2025-09-01" }] }, TODAY);
    const assigned = (await inboxOf(ids.staff)).slice(before);
    expect(assigned).toEqual([expect.objectContaining({ kind: "item_assigned", link: `/plans/${planId}/items/${itemIds[0]}` })]);

    const head = await actorByEmail(getDb(), people.head, "head");
    const otherBefore = (await inboxOf(ids.other)).length;
    await addComment(getDb(), head, planId, itemIds[0]!, "comment", "Please ask @li.wei and @nobody.here for the July statement.");
    const mentioned = (await inboxOf(ids.staff)).slice(before + 1);
    // mentioned, so not told twice as the owner
    expect(mentioned.map((row) => row.kind)).toEqual(["mentioned"]);
    expect(JSON.parse(mentioned[0]!.params)).toMatchObject({ target: "Chase Harbour Trading", body: expect.stringContaining("@li.wei") });
    expect((await inboxOf(ids.other)).length).toBe(otherBefore);

    await addComment(getDb(), head, planId, itemIds[0]!, "comment", "Done?");
    expect((await inboxOf(ids.staff)).at(-1)?.kind).toBe("item_commented");
  });

  it("raises due soon and overdue items once, however often the job runs", async () => {
    const { planId, itemIds } = await makePlan(
      getDb(),
      people,
      {
        fiscalYear: 2025,
        quarter: 3,
        state: "approved",
        items: [
          { title: "Due in two days", owner: people.other, dueDate: "2025-08-14" },
          { title: "Was due last week", owner: people.other, dueDate: "2025-08-05" },
          { title: "Due next month", owner: people.other, dueDate: "2025-09-20" },
        ],
      },
      TODAY,
    );
    await raiseTimeEvents(getDb(), TODAY);
    await raiseTimeEvents(getDb(), TODAY);
    await raiseTimeEvents(getDb(), "2025-08-13");
    const timed = (await inboxOf(ids.other)).filter((row) => row.kind === "item_due_soon" || row.kind === "item_overdue");
    expect(timed).toEqual([
      expect.objectContaining({ kind: "item_due_soon", link: `/plans/${planId}/items/${itemIds[0]}` }),
      expect.objectContaining({ kind: "item_overdue", link: `/plans/${planId}/items/${itemIds[1]}` }),
    ]);
  });

  it("tells the customer's owner and the heads of a hold set and released, never the one who set it", async () => {
    const at = "2025-08-01T00:00:00.000Z";
    await getDb().insertInto("customers").values({ code: "HOLD-1", name: "Held Co.", owner_id: ids.other, region: null, credit_grade: null, credit_limit: null, created_at: at, updated_at: at }).execute();
    const otherHead = await makeUser("head");
    await changeHold(getDb(), { intent: "set-hold", customer: "HOLD-1", kind: "stop_shipment", reason: "90 days overdue" }, ids.head);
    await changeHold(getDb(), { intent: "release-hold", customer: "HOLD-1", reason: "Paid" }, ids.head);
    expect((await inboxOf(ids.other)).slice(-2).map((row) => [row.kind, row.link])).toEqual([
      ["hold_set", "/customers/HOLD-1"],
      ["hold_released", "/customers/HOLD-1"],
    ]);
    expect((await inboxOf(otherHead.id)).slice(-2).map((row) => row.kind)).toEqual(["hold_set", "hold_released"]);
    expect((await inboxOf(ids.head)).some((row) => row.kind.startsWith("hold_"))).toBe(false);
  });

  it("tells whoever started an import that it finished or failed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-notify-import-"));
    const bad = path.join(dir, "customers.csv");
    fs.writeFileSync(bad, "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days\nX1,,East,,A,abc,30\n");
    const ok = await runImportJob({ databaseFile: databaseUrl(), files: [{ path: LEDGER_FIXTURE_FILES.customers, kind: "customers" }], userId: ids.head, source: "cli" });
    const failed = await runImportJob({ databaseFile: databaseUrl(), files: [{ path: bad, kind: "customers" }], userId: ids.head, source: "cli" });
    expect([ok.ok, failed.ok]).toEqual([true, false]);
    const imports = (await inboxOf(ids.head)).filter((row) => row.kind.startsWith("import_"));
    expect(imports).toEqual([
      expect.objectContaining({ kind: "import_finished", link: `/import/runs/${ok.runId}` }),
      expect.objectContaining({ kind: "import_failed", link: `/import/runs/${failed.runId}` }),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
