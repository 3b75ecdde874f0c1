import { parseArgs } from "node:util";

import { closeDb, getDb } from "../../app/server/db.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../app/kernel/password-policy";
import { isRole } from "../../app/kernel/permissions";
import { AppError } from "../../app/kernel/app-error";
import { createUserAccount } from "../../app/features/users/index.server";
import { migrateToLatest } from "../migrate";

const USAGE = `Usage: npm run user -- add --email E --name N --role head|staff|leader|admin [--password P]
Prints a generated password when none is given.`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    password: { type: "string" },
  },
  strict: true,
});

if (positionals[0] !== "add") fail(USAGE);
const { email, name, role, password } = values;
if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) fail(`--email must be an email address.\n${USAGE}`);
if (!name?.trim()) fail(`--name is required.\n${USAGE}`);
if (!isRole(role)) fail(`--role must be one of head, staff, leader, admin.\n${USAGE}`);
if (password !== undefined && (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH)) {
  fail(`--password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`);
}

await migrateToLatest(getDb());
const result = await createUserAccount(getDb(), { email, name, role, password }, null).catch((error: unknown) => {
  if (!(error instanceof AppError)) throw error;
  return error;
});
await closeDb();
if (result instanceof AppError && result.fieldErrors.email) fail(`A user with the email ${email} already exists.`);
if (result instanceof AppError) fail(`--password is too easy to guess (${result.messageKey}): choose another.`);
console.log(`Created ${result.user.role} ${result.user.email} (id ${result.user.id}).`);
if (result.generatedPassword) console.log(`Password (shown once): ${result.generatedPassword}`);
