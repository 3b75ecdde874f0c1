import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { Refusal } from "~/server/responses.server";
import { action, loader } from "~/routes/_app.customers.$code_.actions.new";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../../support/app";
import { databaseState } from "../../../../support/database-state";
import { importLedgerFixture } from "../../../../support/ledger";

// The fixture ledger: FX001 and FX003 belong to staff@, FX002 to head@.
const TODAY = "2025-06-20";
type Who = "head" | "staff" | "leader";
const cookies = {} as Record<Who, string>;

beforeAll(async () => {
  const emails: Record<Who, string | undefined> = { head: "head@demo.quarterdeck", staff: "staff@demo.quarterdeck", leader: undefined };
  for (const who of ["head", "staff", "leader"] as const) {
    const user = await makeUser(who, { email: emails[who] });
    cookies[who] = await signIn(user.email);
  }
  await importLedgerFixture();
});

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const path = (code: string, kind?: string) => `/customers/${encodeURIComponent(code)}/actions/new${kind ? `?kind=${kind}` : ""}`;
const send = (who: Who, code: string, fields: Record<string, string>) => call(action, post(path(code, fields.kind), fields, cookies[who]), { code });
const open = (who: Who, code: string) => call(loader, get(path(code), cookies[who]), { code });

/** A thrown error page: the refusal's status and its i18n key as the body. */
async function errorPage(result: unknown): Promise<{ status: number; body: string }> {
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  return { status: response.status, body: await response.text() };
}

describe("collection action refusals", () => {
  const call_ = { kind: "call", actionDate: TODAY, note: "Spoke to the finance manager." };

  it("answers a customer that does not exist with the 404 error page, on the page and on a post, and writes nothing", async () => {
    const before = await databaseState();
    expect(await errorPage(await open("head", "NO-SUCH"))).toEqual({ status: 404, body: "errors.notFound" });
    expect(await errorPage(await send("head", "NO-SUCH", call_))).toEqual({ status: 404, body: "errors.notFound" });
    expect(await errorPage(await send("staff", "NO-SUCH", { ...call_, intent: "add-instalment" }))).toEqual({ status: 404, body: "errors.notFound" });
    // someone who records nothing learns nothing about which customers exist
    expect(await errorPage(await send("leader", "NO-SUCH", call_))).toEqual({ status: 403, body: "errors.forbidden" });
    expect(await databaseState()).toEqual(before);
  });

  it("answers staff on another owner's customer with the 403 error page, for the page, a save and a schedule button", async () => {
    const before = await databaseState();
    expect(await errorPage(await open("staff", "FX002"))).toEqual({ status: 403, body: "errors.forbidden" });
    expect(await errorPage(await send("staff", "FX002", call_))).toEqual({ status: 403, body: "errors.forbidden" });
    expect(await errorPage(await send("staff", "FX002", { kind: "repayment_agreement", intent: "add-instalment" }))).toEqual({
      status: 403,
      body: "errors.forbidden",
    });
    expect(await errorPage(await open("leader", "FX001"))).toEqual({ status: 403, body: "errors.forbidden" });
    expect(await databaseState()).toEqual(before);
  });

  it("refuses an invalid post with the one Refusal shape: 400, messages at the fields, what was posted; nothing written", async () => {
    const before = await databaseState();
    const fields = {
      kind: "repayment_agreement",
      actionDate: TODAY,
      amount: "3000",
      "instalments.0.dueOn": "2025-07-01",
      "instalments.0.amount": "1000",
      "instalments.1.dueOn": "2025-02-30",
      "instalments.1.amount": "ten",
      note: "还款协议",
    };
    const result = await send("staff", "FX001", fields);
    expect(statusOf(result)).toBe(400);
    const refusal = payloadOf<Refusal>(result);
    expect(refusal).toEqual({
      ok: false,
      code: "invalid",
      intent: "save",
      message: "errors.checkFields",
      params: {},
      fieldErrors: {
        "instalments.1.dueOn": ["collectionActions.validation.date"],
        "instalments.1.amount": ["collectionActions.validation.amount"],
      },
      submitted: fields,
      current: null,
      subjectId: null,
    });
    expect(await databaseState()).toEqual(before);
  });

  it("refuses a forged intent with a clear 400 refusal and writes nothing, even when the rest would save", async () => {
    const before = await databaseState();
    for (const intent of ["delete-everything", "remove-instalment:x", "remove-instalment:123", ""]) {
      const result = await send("staff", "FX001", { ...call_, intent });
      expect(statusOf(result)).toBe(400);
      expect(payloadOf<Refusal>(result)).toMatchObject({
        ok: false,
        code: "invalid",
        intent,
        message: "collectionActions.form.unknownIntent",
        fieldErrors: {},
        submitted: { ...call_, intent },
      });
    }
    expect(await databaseState()).toEqual(before);
  });

  it("answers the schedule buttons with the form state (ok, nothing saved), and a split that cannot be made with a refusal at its field", async () => {
    const before = await databaseState();
    const base = { kind: "repayment_agreement", actionDate: TODAY, amount: "900", "instalments.0.dueOn": "2025-07-01", "instalments.0.amount": "1" };
    const added = await send("staff", "FX001", { ...base, intent: "add-instalment" });
    expect(statusOf(added)).toBe(200);
    expect(payloadOf(added)).toEqual({
      ok: true,
      intent: "add-instalment",
      values: {
        kind: "repayment_agreement",
        actionDate: TODAY,
        note: "",
        amount: "900",
        dueOn: "",
        instalments: [
          { dueOn: "2025-07-01", amount: "1" },
          { dueOn: "", amount: "" },
        ],
      },
    });
    const badSplit = await send("staff", "FX001", { ...base, intent: "split", splitCount: "40", splitFirst: "2025-07-31" });
    expect(statusOf(badSplit)).toBe(400);
    expect(payloadOf<Refusal>(badSplit)).toMatchObject({
      ok: false,
      code: "invalid",
      intent: "split",
      fieldErrors: { splitCount: ["collectionActions.validation.splitCount"] },
      submitted: { ...base, intent: "split", splitCount: "40" },
    });
    expect(await databaseState()).toEqual(before);
  });
});
