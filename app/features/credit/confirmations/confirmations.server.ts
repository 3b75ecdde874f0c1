import { data, redirect } from "@remix-run/node";

import { type CurrentUser, requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import {
  CONFIRMATION_STATES,
  type ConfirmationState,
  applyConfirmationStep,
  bulkSendSchema,
  confirmationRates,
  createBatchSchema,
  resolveStepSchema,
  returnStepSchema,
  sendStepSchema,
  totalRates,
} from "~/features/credit/confirmations/confirmations";
import { type LedgerScope, ledgerScopeOf } from "~/kernel/ledger/scope";
import { MAX_PAGE_SIZE, pageInfo } from "~/kernel/paging";
import { can } from "~/kernel/permissions";
import { inViewerLanguage } from "~/features/settings/index.server";
import { customerFilterOptions } from "~/features/ledger/index.server";
import {
  type BatchFilters,
  batchFilterOptions,
  batchRateRows,
  batchRows,
  bulkMarkSent,
  closeBatch,
  createBatch,
  findBatch,
  listBatches,
  recordOnRow,
} from "~/features/credit/confirmations/queries.server";
import { StatusLedgerBusyError, ensureStatusPositions } from "~/features/status-table/index.server";

/**
 * Balance confirmations (对账 / 询证函), request handling for the pages under /credit/confirmations:
 * who may do what (the head creates and closes batches and records on any row, staff record on
 * the rows of their own customers, leadership reads), the forms' parsing, and the answers: field
 * errors with 400 and nothing changed; 403 for a role or a row that is not the user's; 404 for a
 * batch or row that does not exist (or a row of another batch); 409 for a closed batch.
 */

export const DEFAULT_ROWS_PER_PAGE = 100;

type FieldErrors = Record<string, string[]>;

function zodFieldErrors(issues: readonly { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    const list = (errors[key] ??= []);
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  return errors;
}

function values(formData: FormData): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string" && !(key in result)) result[key] = value;
  return result;
}

const forbidden = () => new Response("You do not have permission to do this.", { status: 403, statusText: "Forbidden" });
const notFound = (what = "No such confirmation batch.") => new Response(what, { status: 404, statusText: "Not Found" });

export function readBatchId(raw: string | undefined): number {
  if (!raw || !/^\d{1,9}$/.test(raw)) throw notFound();
  return Number(raw);
}

// ---------------------------------------------------------------- the batch list

export async function batchListData(request: Request) {
  const user = await requirePermission(request, "ledger:read");
  const db = getDb();
  const scope = ledgerScopeOf(user);
  const canCreate = can(user, "credit:review");
  const [batches, options] = await Promise.all([
    listBatches(db, scope).then((list) => inViewerLanguage(db, "confirmation_batch", list, (batch) => batch.id, { name: "name" }, user.locale)),
    canCreate ? customerFilterOptions(db, { kind: "all" }) : Promise.resolve(null),
  ]);
  return {
    batches: batches.map((batch) => ({
      ...batch,
      returnRate: batch.sent === 0 ? null : batch.returned / batch.sent,
      mismatchRate: batch.returned === 0 ? null : batch.mismatched / batch.returned,
    })),
    canCreate,
    options,
    today: today(),
  };
}

export async function createBatchAction(request: Request) {
  const user = await requirePermission(request, "credit:review");
  const formData = await request.formData();
  const raw = values(formData);
  const parsed = createBatchSchema.safeParse(raw);
  const refuse = (fieldErrors: FieldErrors, status = 400) => data({ ok: false as const, fieldErrors, values: raw }, { status });
  if (!parsed.success) return refuse(zodFieldErrors(parsed.error.issues));
  const input = parsed.data;
  if (input.periodEnd > today()) return refuse({ periodEnd: ["confirmations.validation.periodEndFuture"] });
  const db = getDb();
  try {
    await ensureStatusPositions(db);
  } catch (error) {
    if (error instanceof StatusLedgerBusyError) return refuse({ form: ["confirmations.validation.ledgerBusy"] }, 503);
    throw error;
  }
  const result = await createBatch(
    db,
    {
      name: input.name,
      periodEnd: input.periodEnd,
      selection: {
        region: input.region || undefined,
        owner: input.owner === "" ? undefined : input.owner === "none" ? "none" : Number(input.owner),
      },
    },
    user.id,
  );
  if (!result.ok) return refuse({ form: ["confirmations.validation.noCustomers"] });
  return redirect(`/credit/confirmations/${result.batchId}?created=${result.customers}`);
}

// ---------------------------------------------------------------- one batch

export interface BatchView {
  filters: BatchFilters;
  page: number;
  size: number;
  /** the row whose record forms are open */
  row: number | null;
}

export function readBatchView(search: URLSearchParams): BatchView {
  const state = search.get("state") ?? "";
  const owner = search.get("owner") ?? "";
  const region = search.get("region") ?? "";
  const number = (name: string) => {
    const text = search.get(name) ?? "";
    return /^\d{1,9}$/.test(text) ? Number(text) : null;
  };
  return {
    filters: {
      state: (CONFIRMATION_STATES as readonly string[]).includes(state) ? (state as ConfirmationState) : undefined,
      owner: owner === "none" ? "none" : /^\d{1,9}$/.test(owner) ? Number(owner) : undefined,
      region: region || undefined,
    },
    page: number("page") ?? 1,
    size: Math.min(MAX_PAGE_SIZE, Math.max(1, number("size") ?? DEFAULT_ROWS_PER_PAGE)),
    row: number("row"),
  };
}

function recordingRights(user: CurrentUser) {
  // `collection:log` on any row; `collection:log:own` on the user's own customers' rows
  return {
    any: can(user, "collection:log"),
    own: can(user, "collection:log", { ownerId: user.id }),
  };
}

export async function batchPageData(request: Request, rawBatchId: string | undefined) {
  const user = await requirePermission(request, "ledger:read");
  const batchId = readBatchId(rawBatchId);
  const db = getDb();
  const found = await findBatch(db, batchId);
  if (!found) throw notFound();
  const [batch] = await inViewerLanguage(db, "confirmation_batch", [found], (one) => one.id, { name: "name" }, user.locale);
  const scope = ledgerScopeOf(user);
  const view = readBatchView(new URL(request.url).searchParams);
  const first = pageInfo(view.page, Number.MAX_SAFE_INTEGER, view.size);
  const [rowsPage, options, rateRows] = await Promise.all([
    batchRows(db, batchId, scope, view.filters, { offset: first.offset, limit: first.pageSize }),
    batchFilterOptions(db, batchId, scope),
    batchRateRows(db, batchId, scope),
  ]);
  let page = pageInfo(view.page, rowsPage.total, view.size);
  let rows = rowsPage.rows;
  if (page.page !== first.page) {
    // a page past the end shows the last one
    rows = (await batchRows(db, batchId, scope, view.filters, { offset: page.offset, limit: page.pageSize })).rows;
    page = pageInfo(page.page, rowsPage.total, view.size);
  }
  const rights = recordingRights(user);
  const open = batch.closedAt === null;
  return {
    batch,
    view,
    page,
    rows: (await inViewerLanguage(db, "balance_confirmation", rows, (row) => row.id, { note: "note", resolutionNote: "resolution_note" }, user.locale)).map((row) => ({
      ...row,
      canRecord: open && (rights.any || (rights.own && row.currentOwnerId === user.id)),
    })),
    options,
    ownerFilter: scope.kind === "all",
    rates: {
      byOwner: confirmationRates(rateRows, "owner"),
      byRegion: confirmationRates(rateRows, "region"),
      total: totalRates(rateRows),
    },
    canClose: open && can(user, "credit:review"),
    canRecord: open && (rights.any || rights.own),
    today: today(),
  };
}

const STEP_SCHEMAS = { send: sendStepSchema, return: returnStepSchema, resolve: resolveStepSchema } as const;

function refusedBatch(error: "notFound" | "closed" | "forbidden", intent: string) {
  if (error === "notFound") throw notFound("No such confirmation in this batch.");
  if (error === "forbidden") throw forbidden();
  return data({ ok: false as const, intent, rowId: null as number | null, fieldErrors: { form: ["confirmations.closedBatch"] } as FieldErrors, values: {} as Record<string, string> }, { status: 409 });
}

/** Every write on a batch page, by `intent`. */
export async function batchAction(request: Request, rawBatchId: string | undefined) {
  const user = await requirePermission(request, "ledger:read");
  const batchId = readBatchId(rawBatchId);
  const formData = await request.formData();
  const raw = values(formData);
  const intent = raw.intent ?? "";
  const db = getDb();

  if (intent === "close-batch") {
    if (!can(user, "credit:review")) throw forbidden();
    const result = await closeBatch(db, batchId, user.id);
    if (!result.ok) return refusedBatch(result.error, intent);
    return { ok: true as const, intent, rowId: null as number | null, message: "confirmations.batch.closed", count: 0 };
  }

  const rights = recordingRights(user);
  if (!rights.any && !rights.own) throw forbidden();
  const refuse = (fieldErrors: FieldErrors, rowId: number | null = null) =>
    data({ ok: false as const, intent, rowId, fieldErrors, values: raw }, { status: 400 });

  if (intent === "bulk-send") {
    const parsed = bulkSendSchema.safeParse(raw);
    if (!parsed.success) return refuse(zodFieldErrors(parsed.error.issues));
    const batch = await findBatch(db, batchId);
    if (!batch) throw notFound();
    const dateErrors: FieldErrors = {};
    if (parsed.data.sentOn > today()) dateErrors.sentOn = ["confirmations.validation.future"];
    else if (parsed.data.sentOn < batch.periodEnd) dateErrors.sentOn = ["confirmations.validation.sentBeforePeriodEnd"];
    if (Object.keys(dateErrors).length > 0) return refuse(dateErrors);
    let rowIds: number[] | null = null;
    if (parsed.data.apply === "selected") {
      const ticked = formData.getAll("selected").map(String);
      if (ticked.length === 0) return refuse({ apply: ["confirmations.validation.noneSelected"] });
      if (ticked.some((id) => !/^\d{1,9}$/.test(id))) throw notFound("No such confirmation in this batch.");
      rowIds = ticked.map(Number);
    }
    const filters = readBatchView(new URLSearchParams(raw)).filters;
    const scope: LedgerScope = rights.any ? { kind: "all" } : { kind: "owner", ownerId: user.id };
    const result = await bulkMarkSent(
      db,
      { batchId, scope, rowIds, filters, sentOn: parsed.data.sentOn, channel: parsed.data.channel },
      user.id,
    );
    if (!result.ok) {
      if (result.error === "noRows") return refuse({ apply: ["confirmations.validation.nothingToSend"] });
      return refusedBatch(result.error, intent);
    }
    return { ok: true as const, intent, rowId: null as number | null, message: "confirmations.bulk.marked", count: result.marked };
  }

  if (intent !== "send" && intent !== "return" && intent !== "resolve") return refuse({ form: ["confirmations.validation.intent"] });
  const rowId = /^\d{1,9}$/.test(raw.rowId ?? "") ? Number(raw.rowId) : null;
  if (rowId === null) throw notFound("No such confirmation in this batch.");
  const parsed = STEP_SCHEMAS[intent].safeParse(raw);
  // The version of the row the form showed: a change based on an older one is refused (409).
  const version = /^[1-9]\d{0,9}$/.test(raw.version ?? "") ? Number(raw.version) : null;
  // The row's existence and the user's right to it come before what was typed into the form.
  const result = await recordOnRow(db, batchId, rowId, {
    allowed: (row) => rights.any || (rights.own && row.currentOwnerId === user.id),
    decide: (row, batch) => {
      if (!parsed.success) return { ok: false, detail: zodFieldErrors(parsed.error.issues) };
      const outcome = applyConfirmationStep(row, parsed.data, { today: today(), periodEnd: batch.periodEnd });
      return outcome.ok ? outcome : { ok: false, detail: outcome.fieldErrors };
    },
    action: intent,
  }, version, user.id);
  if (!result.ok) {
    if (result.error === "invalid") return refuse(result.detail, rowId);
    if (result.error === "stale") return refuse({ form: ["confirmations.conflict.stale"] }, rowId);
    if (result.error === "conflict") {
      const { sentOn, channel, returnedOn, result: outcome, difference, note, resolvedOn, resolutionNote } = result.current;
      const current = { sentOn, channel, returnedOn, result: outcome, difference, note, resolvedOn, resolutionNote };
      return data({ ok: false as const, intent, rowId, fieldErrors: { form: ["confirmations.conflict.message"] } as FieldErrors, values: raw, current }, { status: 409 });
    }
    return refusedBatch(result.error, intent);
  }
  return { ok: true as const, intent, rowId: rowId as number | null, message: `confirmations.saved.${intent}`, count: 1 };
}
