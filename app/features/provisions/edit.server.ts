import type { Db } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import { can, type Role } from "~/kernel/permissions";
import { recordAudit } from "~/features/audit/index.server";
import {
  adjustmentFormSchema,
  approveAdjustmentFormSchema,
  endSpecificFormSchema,
  rateTableFormSchema,
  specificFormSchema,
  specificLimits,
  specificProblems,
} from "~/features/provisions/schema";
import { computeProvision } from "~/features/provisions/provision.server";
import { firstDocumentDate } from "~/features/ledger/index.server";
import {
  actionsOfCustomer,
  adjustmentById,
  approveAdjustment,
  customerForProvision,
  endSpecific,
  insertAdjustment,
  insertRateTable,
  insertSpecific,
  rateTableByDate,
  specificById,
  updateRateTable,
  updateSpecific,
} from "~/features/provisions/queries/tables.server";

/**
 * The head edits the rate tables and the named-customer provisions and proposes the matrix's
 * forward-looking adjustment; a leader approves the adjustment. Each form is checked again with
 * its schema, each save is refused (409) when based on an outdated version, and audited.
 */

type Editor = { id: number; role: Role };

function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

function parse<T>(schema: { safeParse(raw: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  return parsed.data;
}

function requireEditor(user: Editor, permission: "provision:edit" | "provision:approve") {
  if (!can(user, permission)) throw AppError.forbidden("provisions.form.forbidden");
}

export async function saveRateTable(db: Db, user: Editor, raw: unknown, now = new Date()): Promise<number> {
  requireEditor(user, "provision:edit");
  const form = parse(rateTableFormSchema, raw);
  const values = { effectiveFrom: form.effectiveFrom, basis: form.basis, upperDays: form.bands, ratesPpm: form.rates, note: form.note };
  return db.transaction().execute(async (trx) => {
    const existing = await rateTableByDate(trx, form.effectiveFrom);
    const at = now.toISOString();
    let id: number;
    if (!existing) {
      if (form.version !== 0) throw AppError.conflict("provisions.form.conflict", null);
      id = await insertRateTable(trx, values, user.id, at);
    } else {
      if (form.version !== existing.version || !(await updateRateTable(trx, existing.id, form.version, values, user.id, at))) {
        throw AppError.conflict("provisions.form.conflict", existing, existing.id);
      }
      id = existing.id;
    }
    await recordAudit(trx, { userId: user.id, entity: "provision_rate_table", entityId: id, action: existing ? "update" : "create", before: existing ?? undefined, after: values }, now);
    return id;
  });
}

export async function saveSpecific(db: Db, user: Editor, raw: unknown, now = new Date()): Promise<number> {
  requireEditor(user, "provision:edit");
  const form = parse(specificFormSchema, raw);
  const known = await customerForProvision(db, form.customerCode);
  if (!known) throw AppError.invalid({ customerCode: ["provisions.form.customer"] });
  // The dates and the balance the rule needs, read before the write transaction (the provision reads through its own connection).
  const asOfToday = today(now);
  const grossAt = async (asOf: string) =>
    (await computeProvision(db, { asOf, method: "ladder", basis: null, table: null, scope: { type: "customer", code: known.code } })).grossReceivables;
  const ledgerStart = await firstDocumentDate(db);
  const { earliest } = specificLimits(asOfToday, ledgerStart, 0);
  const pastStart = earliest <= form.effectiveFrom && form.effectiveFrom < asOfToday;
  const balance = form.kind === "amount" ? Math.max(await grossAt(asOfToday), pastStart ? await grossAt(form.effectiveFrom) : 0) : 0;
  const problems = specificProblems(form, specificLimits(asOfToday, ledgerStart, balance));
  if (Object.keys(problems).length) throw AppError.invalid(problems);
  return db.transaction().execute(async (trx) => {
    const customer = await customerForProvision(trx, form.customerCode);
    if (!customer) throw AppError.invalid({ customerCode: ["provisions.form.customer"] });
    const actions = await actionsOfCustomer(trx, customer.id, form.actionIds);
    if (actions.length !== new Set(form.actionIds).size) throw AppError.invalid({ actionIds: ["provisions.form.action"] });
    const values = { customerId: customer.id, effectiveFrom: form.effectiveFrom, kind: form.kind, value: form.value, reason: form.reason, evidence: form.evidence };
    const at = now.toISOString();
    if (form.id === "") {
      const id = await insertSpecific(trx, values, actions, user.id, at);
      await recordAudit(trx, { userId: user.id, entity: "provision_specific", entityId: id, action: "create", after: { ...values, actions } }, now);
      return id;
    }
    const id = Number(form.id);
    const before = await specificById(trx, id);
    if (!before || before.customer_id !== customer.id) throw AppError.notFound("provisions.form.notFound");
    if (!(await updateSpecific(trx, id, form.version, values, actions, user.id, at))) throw AppError.conflict("provisions.form.conflict", before, id);
    await recordAudit(trx, { userId: user.id, entity: "provision_specific", entityId: id, action: "update", before, after: { ...values, actions } }, now);
    return id;
  });
}

export async function endSpecificProvision(db: Db, user: Editor, raw: unknown, now = new Date()): Promise<void> {
  requireEditor(user, "provision:edit");
  const form = parse(endSpecificFormSchema, raw);
  await db.transaction().execute(async (trx) => {
    const before = await specificById(trx, form.id);
    if (!before) throw AppError.notFound("provisions.form.notFound");
    if (form.endedOn <= before.effective_from) throw AppError.invalid({ endedOn: ["provisions.form.endBeforeStart"] });
    if (!(await endSpecific(trx, form.id, form.version, form.endedOn, user.id, now.toISOString()))) throw AppError.conflict("provisions.form.conflict", before, form.id);
    await recordAudit(trx, { userId: user.id, entity: "provision_specific", entityId: form.id, action: "end", before, after: { endedOn: form.endedOn } }, now);
  });
}

export async function proposeAdjustment(db: Db, user: Editor, raw: unknown, now = new Date()): Promise<number> {
  requireEditor(user, "provision:edit");
  const form = parse(adjustmentFormSchema, raw);
  return db.transaction().execute(async (trx) => {
    const values = { effectiveFrom: form.effectiveFrom, ppm: form.percent, reason: form.reason };
    const id = await insertAdjustment(trx, values, user.id, now.toISOString());
    await recordAudit(trx, { userId: user.id, entity: "provision_adjustment", entityId: id, action: "propose", after: values }, now);
    return id;
  });
}

export async function approveProvisionAdjustment(db: Db, user: Editor, raw: unknown, now = new Date()): Promise<void> {
  requireEditor(user, "provision:approve");
  const form = parse(approveAdjustmentFormSchema, raw);
  await db.transaction().execute(async (trx) => {
    const before = await adjustmentById(trx, form.id);
    if (!before) throw AppError.notFound("provisions.form.notFound");
    if (!(await approveAdjustment(trx, form.id, form.version, user.id, now.toISOString()))) throw AppError.conflict("provisions.form.conflict", before, form.id);
    await recordAudit(trx, { userId: user.id, entity: "provision_adjustment", entityId: form.id, action: "approve", before }, now);
  });
}
