import type { Role } from "./schema";
import { today } from "../app/server/clock.server";
import { type Db, openLedgerConnection } from "../app/server/db.server";
import { importLedgerRecords } from "../app/features/import/import-ledger.server";
import { createUser } from "../app/features/users/index.server";
import { setSetting } from "../app/features/settings/index.server";
import { hashPassword } from "../app/server/password.server";
import { generateDemoLedger } from "./seed/demo-ledger";
import { seedDemoCollections } from "./seed/demo-collection-actions";
import { keepPromiseStatuses } from "../app/features/credit/collection-actions/promise-keeper.server";
import { seedDemoConfirmations } from "./seed/demo-confirmations";
import { seedDemoCreditReview } from "./seed/demo-credit-review";
import { seedDemoHolds } from "./seed/demo-holds";
import { seedDemoPlans } from "./seed/demo-plans";
import { sweepWarnings } from "../app/features/warnings/index.server";

/**
 * Demo data. Deterministic, so the demo tells the same story every time; later issues extend it
 * (ledger, plans, credit). Demo passwords are public by design: this is for the demo only.
 */
export const DEMO_PASSWORD = "quarterdeck-demo";

export const DEMO_USERS = [
  { email: "head@demo.quarterdeck", name: "Wang Fang 王芳", role: "head", locale: "en" },
  { email: "staff@demo.quarterdeck", name: "Li Wei 李伟", role: "staff", locale: "en" },
  { email: "leader@demo.quarterdeck", name: "Zhao Min 赵敏", role: "leader", locale: "en" },
  { email: "admin@demo.quarterdeck", name: "Admin 管理员", role: "admin", locale: "en" },
] as const satisfies readonly { email: string; name: string; role: Role; locale: "en" | "zh-CN" }[];

/** The field staff who own the demo customers (the first is the demo staff sign-in). */
export const DEMO_OWNERS = [
  { email: "staff@demo.quarterdeck", name: "Li Wei 李伟" },
  { email: "chen.jing@demo.quarterdeck", name: "Chen Jing 陈静" },
  { email: "liu.yang@demo.quarterdeck", name: "Liu Yang 刘洋" },
  { email: "zhou.hao@demo.quarterdeck", name: "Zhou Hao 周浩" },
  { email: "sun.li@demo.quarterdeck", name: "Sun Li 孙丽" },
] as const satisfies readonly { email: string; name: string }[];

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  return row === undefined;
}

/** The demo's first step: its sign-ins and the customers' owners (the rest of seedDemo reads them). */
export async function seedDemoUsers(db: Db): Promise<void> {
  // The demo's accounts sign in with the published password alone: a fresh installation requires
  // two-factor sign-in of administrators and leadership, the demo's does not (the admin settings
  // page and the README say so).
  await setSetting(db, "two_factor_roles", "");
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const user of DEMO_USERS) {
    await createUser(db, { ...user, passwordHash }, null);
  }
  for (const owner of DEMO_OWNERS.slice(1)) {
    await createUser(db, { ...owner, role: "staff", passwordHash, locale: "zh-CN" }, null);
  }
}

export async function seedDemo(db: Db): Promise<void> {
  await seedDemoUsers(db);
  // Two years of ledger up to today, through the same writer as a file import.
  const ledger = generateDemoLedger({ today: today(), owners: DEMO_OWNERS.map((o) => o.email) });
  const sqlite = openLedgerConnection();
  try {
    importLedgerRecords(sqlite, ledger, { baseCurrency: "CNY", userId: null });
  } finally {
    sqlite.close();
  }
  // Last year's and this year's quarterly plans, worked and approved as the department would.
  const users = await db.selectFrom("users").select(["id", "email", "role"]).execute();
  const actor = (email: string) => {
    // called only with the demo users' e-mails, created just above
    const user = users.find((candidate) => candidate.email === email)!;
    return { id: user.id, role: user.role };
  };
  const people = {
    head: actor(DEMO_USERS[0].email),
    leader: actor(DEMO_USERS[2].email),
    owners: [actor(DEMO_USERS[0].email), ...DEMO_OWNERS.map((owner) => actor(owner.email))],
    staffEmail: DEMO_OWNERS[0].email,
  };
  await seedDemoPlans(db, today(), people);
  // Credit management: promises and agreements first (holds and the review read broken ones).
  await seedDemoCollections(db, today(), people);
  // Their stored statuses, as the background job keeps them (the forecast and notifications read them).
  await keepPromiseStatuses(db, today());
  await seedDemoHolds(db, today(), people);
  await seedDemoCreditReview(db, today(), people);
  await seedDemoConfirmations(db, today(), people);
  // The history above was written through the use cases, which raise notifications; none of it
  // is news to the demo's users, so their inboxes start empty (the job then raises what is due).
  await db.deleteFrom("notification_outbox").execute();
  await db.deleteFrom("notifications").execute();
  await db.deleteFrom("notification_events").execute();
  // The early warnings the demo's ledger and promises raise on its business date.
  await sweepWarnings(db, today());
}

export async function hasDemoUsers(db: Db): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").where("email", "=", DEMO_USERS[0].email).executeTakeFirst();
  return row !== undefined;
}

export function demoSignIns(): string {
  const lines = DEMO_USERS.map((u) => `  ${u.role.padEnd(7)} ${u.email.padEnd(26)} ${DEMO_PASSWORD}`);
  return ["Demo sign-ins (role, email, password):", ...lines].join("\n");
}
