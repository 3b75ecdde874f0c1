/**
 * The digests: weekly for staff (their items due and overdue, their customers' promises due and
 * broken, their customers entering 61–90 days overdue or over their limit) and for the head
 * (items at risk, KPI-linked items off track, approvals waiting), monthly for leadership (the
 * company's key figures and the status table's totals for the month before, with a link). Each
 * is written in its reader's language and raised as a "digest" event: the inbox keeps its title
 * and the e-mail carries the lists. Raised once per reader and date (`npm run digest -- --date D`
 * or the job runner on the day they fall due).
 */
import type { Db } from "~/server/db.server";
import { addDays, monthEnd } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { formatAmount } from "~/kernel/money";
import { createI18n, type Locale } from "~/i18n";
import { findPlanCovering, getPlan, planProgress } from "~/features/plans/index.server";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/index.server";
import { kpiDefinition } from "~/features/kpi";
import { loadStatusPage } from "~/features/status-table/index.server";
import { type DigestKind, digestsDueOn } from "~/features/notifications/events";
import { digestSection } from "~/features/notifications/render";
import { notify } from "~/features/notifications/notify.server";
import {
  type Recipient,
  limitsAwaitingApproval,
  openItemsDueBetween,
  ownedCustomersEntering61,
  ownedCustomersOverLimit,
  promisesDueBetween,
  submittedPlans,
  usersWithRole,
  warningsRaisedBetween,
} from "~/features/notifications/queries.server";

export interface Digest {
  kind: DigestKind;
  userId: number;
  email: string;
  title: string;
  body: string;
  link: string;
  /** entries listed: a digest with none is not sent */
  entries: number;
  /** the month a leadership digest is about (YYYY-MM); else the digest's week's month */
  month: string;
}

const CURRENCY = "CNY";
/** How far back "overdue" looks for items still open. */
const OVERDUE_LOOK_BACK_DAYS = 366;

function money(minor: number, locale: Locale): string {
  return formatAmount(minor, { locale, currency: CURRENCY });
}

export async function staffDigest(db: Db, user: Recipient, date: IsoDate): Promise<Digest> {
  const { t } = createI18n(user.locale);
  const weekEnd = addDays(date, 6);
  const mine = <T extends { ownerId: number | null }>(rows: T[]) => rows.filter((row) => row.ownerId === user.id);
  const [due, overdue, promisesDue, promisesPast, aging, overLimit] = await Promise.all([
    openItemsDueBetween(db, date, weekEnd).then(mine),
    openItemsDueBetween(db, addDays(date, -OVERDUE_LOOK_BACK_DAYS), addDays(date, -1)).then(mine),
    promisesDueBetween(db, date, weekEnd, user.id),
    promisesDueBetween(db, addDays(date, -7), addDays(date, -1), user.id),
    // 61 to 67 days overdue on the digest's date: passed 60 days within the week
    ownedCustomersEntering61(db, user.id, addDays(date, -67), addDays(date, -61)),
    ownedCustomersOverLimit(db, user.id),
  ]);
  const item = (row: { title: string; dueDate: string }) => t("notifications.digest.item", { title: row.title, date: row.dueDate });
  const promise = (row: { code: string; name: string; amount: number; paid: number; dueOn: string }) =>
    t("notifications.digest.promise", { customer: `${row.code} ${row.name}`, amount: money(row.amount - row.paid, user.locale), date: row.dueOn });
  const open = promisesDue.filter((row) => row.status === "pending");
  const broken = promisesPast.filter((row) => row.status !== "kept" && row.paid < row.amount);
  const sections = [
    digestSection(t("notifications.digest.itemsDue"), due.map(item), t),
    digestSection(t("notifications.digest.itemsOverdue"), overdue.map(item), t),
    digestSection(t("notifications.digest.promisesDue"), open.map(promise), t),
    digestSection(t("notifications.digest.promisesBroken"), broken.map(promise), t),
    digestSection(t("notifications.digest.customersAging"), aging.map((row) => t("notifications.digest.customer", { code: row.code, name: row.name, amount: money(row.open, user.locale) })), t),
    digestSection(t("notifications.digest.customersOverLimit"), overLimit.map((row) => t("notifications.digest.customer", { code: row.code, name: row.name, amount: `${money(row.open, user.locale)} / ${money(row.limit, user.locale)}` })), t),
  ];
  const entries = due.length + overdue.length + open.length + broken.length + aging.length + overLimit.length;
  return { kind: "staff", userId: user.id, email: user.email, title: t("notifications.digest.staffTitle", { date }), body: sections.join("\n\n"), link: "/tasks", entries, month: date.slice(0, 7) };
}

export async function headDigest(db: Db, user: Recipient, date: IsoDate): Promise<Digest> {
  const { t } = createI18n(user.locale);
  const [atRisk, plans, limits, warnings] = await Promise.all([
    openItemsDueBetween(db, addDays(date, -OVERDUE_LOOK_BACK_DAYS), addDays(date, 6)),
    submittedPlans(db),
    limitsAwaitingApproval(db),
    // raised in the week before the digest and not yet resolved
    warningsRaisedBetween(db, addDays(date, -7), addDays(date, -1)),
  ]);
  const offTrack: string[] = [];
  const span = await findPlanCovering(db, date);
  if (span) {
    const plan = await getPlan(db, span.id);
    if (plan.state === "approved") {
      const progress = await planProgress(db, plan, date);
      for (const item of plan.items) if (progress.items[item.id]?.track === "off_track") offTrack.push(item.title);
    }
  }
  const approvals = [
    ...plans.map((plan) => t("notifications.digest.plan", { plan: `${plan.fiscalYear} Q${plan.quarter}` })),
    ...limits.map((row) => t("notifications.digest.limit", { customer: `${row.code} ${row.name}` })),
  ];
  const sections = [
    digestSection(t("notifications.digest.itemsAtRisk"), atRisk.map((row) => t("notifications.digest.item", { title: row.title, date: row.dueDate })), t),
    digestSection(t("notifications.digest.kpisOffTrack"), offTrack, t),
    digestSection(t("notifications.digest.approvalsWaiting"), approvals, t),
    digestSection(
      t("notifications.digest.warnings"),
      warnings.map((row) =>
        t("notifications.digest.warning", {
          subject: row.code === null ? (row.ownerName ?? "") : `${row.code} ${row.name ?? ""}`,
          rule: t(`warnings.kind.${row.kind}`),
          severity: t(`warnings.severity.${row.severity}`),
        }),
      ),
      t,
    ),
  ];
  const entries = atRisk.length + offTrack.length + approvals.length + warnings.length;
  return { kind: "head", userId: user.id, email: user.email, title: t("notifications.digest.headTitle", { date }), body: sections.join("\n\n"), link: "/plans", entries, month: date.slice(0, 7) };
}

const CARD_KPIS = ["ar_total", "overdue_total", "overdue_ratio", "dso", "collection_rate", "customers_over_limit"] as const;

export async function leadershipDigest(db: Db, user: Recipient & { role: "leader" }, date: IsoDate): Promise<Digest> {
  const { t } = createI18n(user.locale);
  const lastMonthEnd = addDays(date.slice(0, 8) + "01", -1);
  const month = lastMonthEnd.slice(0, 7);
  const { values } = await kpiValues(db, resolveKpiRequest({ asOf: monthEnd(lastMonthEnd), scope: "company" }));
  const cards = CARD_KPIS.map((key) => {
    const definition = kpiDefinition(key);
    const value = values[key];
    const name = user.locale === "zh-CN" ? definition.name.zh : definition.name.en;
    const shown = value === null ? "—" : definition.unit === "money" ? money(value, user.locale) : definition.unit === "ratio" ? `${(value * 100).toFixed(1)}%` : Number.isInteger(value) ? String(value) : value.toFixed(1);
    return `${name}: ${shown}`;
  });
  const status = await loadStatusPage(db, { id: user.id, role: user.role, locale: user.locale }, new URLSearchParams({ month }), date);
  const totals = status.totals;
  const statusLines = (["opening", "billed", "collected", "closing", "overdue"] as const).map((column) => `${t(`status.columns.${column}`)}: ${money(totals[column], user.locale)}`);
  const link = `/status?month=${month}`;
  const sections = [digestSection(t("notifications.digest.kpiCards"), cards, t), digestSection(t("notifications.digest.statusTotals"), statusLines, t)];
  return { kind: "leadership", userId: user.id, email: user.email, title: t("notifications.digest.leadershipTitle", { month }), body: sections.join("\n\n"), link, entries: cards.length, month };
}

/** The digests due on `date`, for every active reader of each kind (none when it is not their day). */
export async function digestsFor(db: Db, date: IsoDate): Promise<Digest[]> {
  const digests: Digest[] = [];
  for (const kind of digestsDueOn(date)) {
    if (kind === "staff") for (const user of await usersWithRole(db, "staff")) digests.push(await staffDigest(db, user, date));
    if (kind === "head") for (const user of await usersWithRole(db, "head")) digests.push(await headDigest(db, user, date));
    if (kind === "leadership") for (const user of await usersWithRole(db, "leader")) digests.push(await leadershipDigest(db, { ...user, role: "leader" }, date));
  }
  return digests.filter((digest) => digest.entries > 0);
}

/**
 * Raises the digests due on `date` (each once: again on the same date sends nothing new) and
 * returns them with whether each was new; a dry run returns them and writes nothing.
 */
export async function sendDigests(db: Db, date: IsoDate, options: { dryRun?: boolean; now?: Date } = {}): Promise<(Digest & { sent: boolean })[]> {
  const digests = await digestsFor(db, date);
  if (options.dryRun) return digests.map((digest) => ({ ...digest, sent: false }));
  const results: (Digest & { sent: boolean })[] = [];
  for (const digest of digests) {
    const eventId = await notify(
      db,
      {
        kind: "digest",
        params: { digest: digest.kind, date: digest.kind === "leadership" ? digest.month : date, month: digest.month },
        link: digest.link,
        actorId: null,
        recipients: [digest.userId],
        dedupeKey: `digest:${digest.kind}:${digest.userId}:${date}`,
        detail: digest.body,
      },
      options.now,
    );
    results.push({ ...digest, sent: eventId !== null });
  }
  return results;
}
