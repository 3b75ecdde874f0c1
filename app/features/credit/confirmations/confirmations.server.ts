import type { CurrentUser } from "~/server/auth.server";
import {
  CONFIRMATION_STATES,
  applyConfirmationStep,
  confirmationRates,
  totalRates,
} from "~/features/credit/confirmations/confirmations";
import { bulkSendSchema, createBatchSchema, resolveStepSchema, returnStepSchema, sendStepSchema } from "~/features/credit/confirmations/schema";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import { isOneOf } from "~/kernel/guards";
import type { IsoDate } from "~/kernel/ledger/types";
import { type LedgerScope, ledgerScopeOf } from "~/kernel/ledger/scope";
import { MAX_PAGE_SIZE, pageInfo } from "~/kernel/paging";
import { can } from "~/kernel/permissions";
import { inViewerLanguage } from "~/features/settings/index.server";
import type { Db } from "~/server/db.server";
import { customerFilterOptions } from "~/features/ledger/index.server";
import {
  type BatchFilters,
  allBatchRows,
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
import { ensureStatusPositions, isLedgerBusy, ledgerBusy } from "~/features/status-table/index.server";

/**
 * Balance confirmations (对账 / 询证函), the use cases of the pages under /credit/confirmations:
 * who may do what (the head creates and closes batches and records on any row, staff record on
 * the rows of their own customers, leadership reads), the forms' checks, and the refusals: field
 * errors (400) and nothing changed; forbidden for a role or a row that is not the user's; not
 * found for a batch or row that does not exist (or a row of another batch); a conflict for a
 * closed batch or a row someone else changed first.
 */

export const DEFAULT_ROWS_PER_PAGE = 100;

type Values = Record<string, string | undefined>;

function zodFieldErrors(issues: readonly { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "form";
    const list = (errors[key] ??= []);
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  return errors;
}

const invalid = (fieldErrors: FieldErrors, rowId: number | null = null) =>
  new AppError("invalid", "errors.checkFields", { fieldErrors, subjectId: rowId });
const batchNotFound = () => AppError.notFound();
const rowNotFound = () => AppError.notFound();

function refusedBatch(error: "notFound" | "closed" | "forbidden"): AppError {
  if (error === "notFound") return rowNotFound();
  if (error === "forbidden") return AppError.forbidden();
  return new AppError("conflict", "confirmations.closedBatch", { fieldErrors: { form: ["confirmations.closedBatch"] } });
}

// ---------------------------------------------------------------- the batch list

export async function batchList(db: Db, user: CurrentUser, today: IsoDate) {
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
    today,
  };
}

/** The head creates a batch over the customers the selection names, balances as of the period end. */
export async function createConfirmationBatch(db: Db, user: CurrentUser, values: Values, today: IsoDate): Promise<{ batchId: number; customers: number }> {
  if (!can(user, "credit:review")) throw AppError.forbidden();
  const parsed = createBatchSchema(today).safeParse(values);
  if (!parsed.success) throw invalid(zodFieldErrors(parsed.error.issues));
  const input = parsed.data;
  try {
    await ensureStatusPositions(db);
  } catch (error) {
    if (isLedgerBusy(error)) throw ledgerBusy("confirmations.validation.ledgerBusy", { form: ["confirmations.validation.ledgerBusy"] });
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
  if (!result.ok) throw invalid({ form: ["confirmations.validation.noCustomers"] });
  return { batchId: result.batchId, customers: result.customers };
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
      state: isOneOf(CONFIRMATION_STATES, state) ? state : undefined,
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

export async function batchPage(db: Db, user: CurrentUser, batchId: number, view: BatchView, today: IsoDate) {
  const found = await findBatch(db, batchId);
  if (!found) throw batchNotFound();
  const [batch = found] = await inViewerLanguage(db, "confirmation_batch", [found], (one) => one.id, { name: "name" }, user.locale);
  const scope = ledgerScopeOf(user);
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
    rows: (await inViewerLanguage(db, "confirmation", rows, (row) => row.id, { note: "note", resolutionNote: "resolution_note" }, user.locale)).map((row) => ({
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
    today,
  };
}

const STEP_SCHEMAS = { send: sendStepSchema, return: returnStepSchema, resolve: resolveStepSchema } as const;

export interface BatchRecorded {
  ok: true;
  intent: string;
  /** the row recorded on; null for what concerns the whole page (bulk send, close) */
  rowId: number | null;
  message: string;
  count: number;
}

/**
 * Every write on a batch page, by `intent`: send / return / resolve on one row, bulk-send (the
 * ticked rows, `selected`, or every unsent row the filters match), close-batch.
 */
export async function recordOnBatch(db: Db, user: CurrentUser, batchId: number, values: Values, selected: readonly string[], today: IsoDate): Promise<BatchRecorded> {
  const intent = values.intent ?? "";

  if (intent === "close-batch") {
    if (!can(user, "credit:review")) throw AppError.forbidden();
    const result = await closeBatch(db, batchId, user.id);
    if (!result.ok) throw result.error === "notFound" ? batchNotFound() : refusedBatch(result.error);
    return { ok: true, intent, rowId: null, message: "confirmations.batch.closed", count: 0 };
  }

  const rights = recordingRights(user);
  if (!rights.any && !rights.own) throw AppError.forbidden();

  if (intent === "bulk-send") {
    const parsed = bulkSendSchema.safeParse(values);
    if (!parsed.success) throw invalid(zodFieldErrors(parsed.error.issues));
    const batch = await findBatch(db, batchId);
    if (!batch) throw batchNotFound();
    if (parsed.data.sentOn > today) throw invalid({ sentOn: ["confirmations.validation.future"] });
    if (parsed.data.sentOn < batch.periodEnd) throw invalid({ sentOn: ["confirmations.validation.sentBeforePeriodEnd"] });
    let rowIds: number[] | null = null;
    if (parsed.data.apply === "selected") {
      if (selected.length === 0) throw invalid({ apply: ["confirmations.validation.noneSelected"] });
      if (selected.some((id) => !/^\d{1,9}$/.test(id))) throw rowNotFound();
      rowIds = selected.map(Number);
    }
    const filters = readBatchView(new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined))).filters;
    const scope: LedgerScope = rights.any ? { kind: "all" } : { kind: "owner", ownerId: user.id };
    const result = await bulkMarkSent(db, { batchId, scope, rowIds, filters, sentOn: parsed.data.sentOn, channel: parsed.data.channel }, user.id);
    if (!result.ok) {
      if (result.error === "noRows") throw invalid({ apply: ["confirmations.validation.nothingToSend"] });
      throw refusedBatch(result.error);
    }
    return { ok: true, intent, rowId: null, message: "confirmations.bulk.marked", count: result.marked };
  }

  if (intent !== "send" && intent !== "return" && intent !== "resolve") throw invalid({ form: ["confirmations.validation.intent"] });
  const rowId = /^\d{1,9}$/.test(values.rowId ?? "") ? Number(values.rowId) : null;
  if (rowId === null) throw rowNotFound();
  const parsed = STEP_SCHEMAS[intent].safeParse(values);
  // The version of the row the form showed: a change based on an older one is refused (409).
  const version = /^[1-9]\d{0,9}$/.test(values.version ?? "") ? Number(values.version) : null;
  // The row's existence and the user's right to it come before what was typed into the form.
  const result = await recordOnRow(
    db,
    batchId,
    rowId,
    {
      allowed: (row) => rights.any || (rights.own && row.currentOwnerId === user.id),
      decide: (row, batch) => {
        if (!parsed.success) return { ok: false, detail: zodFieldErrors(parsed.error.issues) };
        const outcome = applyConfirmationStep(row, parsed.data, { today, periodEnd: batch.periodEnd });
        return outcome.ok ? outcome : { ok: false, detail: outcome.fieldErrors };
      },
      action: intent,
    },
    version,
    user.id,
  );
  if (!result.ok) {
    if (result.error === "invalid") throw invalid(result.detail, rowId);
    if (result.error === "stale") throw invalid({ form: ["confirmations.conflict.stale"] }, rowId);
    if (result.error === "conflict") {
      const { sentOn, channel, returnedOn, result: outcome, difference, note, resolvedOn, resolutionNote } = result.current;
      const current = { sentOn, channel, returnedOn, result: outcome, difference, note, resolvedOn, resolutionNote };
      throw new AppError("conflict", "confirmations.conflict.message", { fieldErrors: { form: ["confirmations.conflict.message"] }, current, subjectId: rowId });
    }
    throw refusedBatch(result.error);
  }
  return { ok: true, intent, rowId, message: `confirmations.saved.${intent}`, count: 1 };
}

/** For the export: the batch and its rows (in the user's scope, the page's filters), read as written out. */
export async function batchExportRows(db: Db, user: CurrentUser, batchId: number, filters: BatchFilters) {
  const batch = await findBatch(db, batchId);
  if (!batch) throw batchNotFound();
  return { batch, rows: allBatchRows(db, batchId, ledgerScopeOf(user), filters) };
}
