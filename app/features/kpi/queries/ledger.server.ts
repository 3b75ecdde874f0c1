import type { Db } from "~/server/db.server";
import type { KpiScope } from "~/features/kpi/scope";
import type { IsoDate, LedgerSnapshot } from "~/kernel/ledger/types";

/**
 * The customers a KPI scope covers: null for the whole company, "unknown" when the scope names
 * a customer, owner, region or grade the ledger does not have.
 */
export async function scopeCustomerIds(db: Db, scope: KpiScope): Promise<number[] | null | "unknown"> {
  if (scope.type === "company") return null;
  let query = db.selectFrom("customers").select("customers.id");
  switch (scope.type) {
    case "customer":
      query = query.where("customers.code", "=", scope.code);
      break;
    case "owner": {
      const owner = await db.selectFrom("users").select("id").where("email", "=", scope.email).executeTakeFirst();
      if (!owner) return "unknown";
      query = query.where("customers.owner_id", "=", owner.id);
      return (await query.execute()).map((r) => r.id);
    }
    case "region":
      query = query.where("customers.region", "=", scope.name);
      break;
    case "grade":
      query = query.where("customers.credit_grade", "=", scope.grade);
      break;
  }
  const ids = (await query.execute()).map((r) => r.id);
  return ids.length === 0 ? "unknown" : ids;
}

/** The scope's customers and their documents dated <= `through`, as the pure engine takes them. */
export async function loadLedgerSnapshot(db: Db, customerIds: number[] | null, through: IsoDate): Promise<LedgerSnapshot> {
  if (customerIds !== null && customerIds.length === 0) return { customers: [], invoices: [], payments: [], adjustments: [] };
  const ids = customerIds ?? [];
  const scoped = customerIds !== null;

  const customers = await db
      .selectFrom("customers")
      .leftJoin("users", "users.id", "customers.owner_id")
      .select([
        "customers.code",
        "customers.name",
        "customers.region",
        "users.email as ownerEmail",
        "customers.credit_grade",
        "customers.credit_limit",
        "customers.payment_terms_days",
      ])
      .$if(scoped, (q) => q.where("customers.id", "in", ids))
      .execute();
  const invoices = await db
      .selectFrom("invoices")
      .innerJoin("customers", "customers.id", "invoices.customer_id")
      .select(["invoices.invoice_no", "customers.code", "invoices.issue_date", "invoices.due_date", "invoices.amount"])
      .where("invoices.issue_date", "<=", through)
      .$if(scoped, (q) => q.where("invoices.customer_id", "in", ids))
      .execute();
  const payments = await db
      .selectFrom("payments")
      .innerJoin("customers", "customers.id", "payments.customer_id")
      .leftJoin("invoices", "invoices.id", "payments.invoice_id")
      .select(["payments.payment_no", "customers.code", "payments.date", "payments.amount", "invoices.invoice_no"])
      .where("payments.date", "<=", through)
      .$if(scoped, (q) => q.where("payments.customer_id", "in", ids))
      .execute();
  const adjustments = await db
      .selectFrom("adjustments")
      .innerJoin("customers", "customers.id", "adjustments.customer_id")
      .leftJoin("invoices", "invoices.id", "adjustments.invoice_id")
      .select([
        "adjustments.adjustment_no",
        "customers.code",
        "adjustments.date",
        "adjustments.amount",
        "adjustments.type",
        "invoices.invoice_no",
      ])
      .where("adjustments.date", "<=", through)
      .$if(scoped, (q) => q.where("adjustments.customer_id", "in", ids))
      .execute();

  return {
    customers: customers.map((c) => ({
      code: c.code,
      name: c.name,
      region: c.region,
      ownerEmail: c.ownerEmail ?? null,
      creditGrade: c.credit_grade,
      creditLimit: c.credit_limit,
      paymentTermsDays: c.payment_terms_days,
    })),
    invoices: invoices.map((i) => ({
      invoiceNo: i.invoice_no,
      customerCode: i.code,
      issueDate: i.issue_date,
      dueDate: i.due_date,
      amount: i.amount,
    })),
    payments: payments.map((p) => ({
      paymentNo: p.payment_no,
      customerCode: p.code,
      date: p.date,
      amount: p.amount,
      invoiceNo: p.invoice_no ?? null,
    })),
    adjustments: adjustments.map((a) => ({
      adjustmentNo: a.adjustment_no,
      customerCode: a.code,
      date: a.date,
      amount: a.amount,
      type: a.type,
      invoiceNo: a.invoice_no ?? null,
    })),
  };
}
