import type { Role } from "./schema";
import type { Db } from "../app/db.server";
import { createUser } from "../app/models/user.server";
import { hashPassword } from "../app/password.server";

/**
 * Demo data. Deterministic, so the demo tells the same story every time; later issues extend it
 * (ledger, plans, credit). Demo passwords are public by design: this is for the demo only.
 */
export const DEMO_PASSWORD = "quarterdeck-demo";

export const DEMO_USERS: { email: string; name: string; role: Role; locale: "en" | "zh-CN" }[] = [
  { email: "head@demo.quarterdeck", name: "Wang Fang 王芳", role: "head", locale: "en" },
  { email: "staff@demo.quarterdeck", name: "Li Wei 李伟", role: "staff", locale: "en" },
  { email: "leader@demo.quarterdeck", name: "Zhao Min 赵敏", role: "leader", locale: "en" },
  { email: "admin@demo.quarterdeck", name: "Admin 管理员", role: "admin", locale: "en" },
];

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  return row === undefined;
}

export async function seedDemo(db: Db): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const user of DEMO_USERS) {
    await createUser(db, { ...user, passwordHash }, null);
  }
}

export async function hasDemoUsers(db: Db): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").where("email", "=", DEMO_USERS[0].email).executeTakeFirst();
  return row !== undefined;
}

export function demoSignIns(): string {
  const lines = DEMO_USERS.map((u) => `  ${u.role.padEnd(7)} ${u.email.padEnd(26)} ${DEMO_PASSWORD}`);
  return ["Demo sign-ins (role, email, password):", ...lines].join("\n");
}
