/**
 * Set-up shared by the tests of pages kept between views: a head and a staff member (with the
 * demo's e-mails, which the ledger fixture's owners use) signed in on the fixture ledger, and the
 * business date fixed to `today` for each test.
 */
import { afterEach, beforeAll, beforeEach, vi } from "vitest";

import { makeUser, signIn } from "./app";
import { importLedgerFixture } from "./ledger";

export function keptPageSetUp(today: string): { head: string; staff: string } {
  const cookies = { head: "", staff: "" };
  beforeAll(async () => {
    const head = await makeUser("head", { email: "head@demo.quarterdeck" });
    const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
    await importLedgerFixture();
    cookies.head = await signIn(head.email);
    cookies.staff = await signIn(staff.email);
  });
  beforeEach(() => {
    vi.stubEnv("QUARTERDECK_TODAY", today);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  return cookies;
}
