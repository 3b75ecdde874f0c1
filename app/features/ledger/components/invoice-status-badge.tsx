import { useTranslation } from "react-i18next";

import type { InvoiceStatus } from "~/kernel/ledger/invoice-status";

/** Open / overdue (with how long) / settled, in words as well as colour. */
export function InvoiceStatusBadge({ status, daysPastDue }: { status: InvoiceStatus; daysPastDue: number }) {
  const { t } = useTranslation();
  if (status === "overdue") {
    return (
      <span className="badge badge--bad">
        {t("invoices.statusOverdue")} · {t("invoices.overdueBy", { count: daysPastDue })}
      </span>
    );
  }
  if (status === "settled") return <span className="badge badge--muted">{t("invoices.statusSettled")}</span>;
  return <span className="badge badge--info">{t("invoices.statusOpenShort")}</span>;
}
