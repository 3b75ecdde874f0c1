import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { customerCollectionActions } from "~/features/credit/collection-actions/collection-actions.server";
import { CollectionActionsSection } from "~/features/credit/collection-actions/components/collection-actions";
import { ReviewDecisions } from "~/features/credit/review/components/review-decisions";
import { CustomerStatusBadge, HoldPanel } from "~/features/credit/holds/components/hold-panel";
import holdStyles from "~/features/credit/holds/components/holds.css";
import { ContactEmailForm, StatementForm } from "~/features/statements/components";
import { customerContact } from "~/features/statements/index.server";
import { DunningForm } from "~/features/dunning/components";
import dunningStyles from "~/features/dunning/components/dunning.css";
import { dunningPanel } from "~/features/dunning/index.server";
import statementStyles from "~/features/statements/components/statements.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Amount } from "~/ui/amount";
import { AgingTable, HistoryTable, OpenInvoicesTable, PositionFigures } from "~/features/ledger/components/customer-sections";
import { useFormatDate } from "~/ui/use-format-amount";
import { loadHoldPanel } from "~/features/credit/holds/holds.server";
import { getDb } from "~/server/db.server";
import { customerPosition, settlementHistory } from "~/kernel/ledger/customer-position";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { MAX_PAGE_SIZE, pageInfo } from "~/kernel/paging";
import { can } from "~/kernel/permissions";
import { holdsIn, reviewCommentsIn } from "~/features/settings/index.server";
import { customerReviewDecisions } from "~/features/credit/review/index.server";
import { customerDocuments, findCustomer } from "~/features/ledger/index.server";
import { CustomerNotFound, NotYourCustomer, OTHER_OWNER } from "~/features/ledger/components/customer-errors";
import { errorPage } from "~/server/responses.server";
import { AppError } from "~/kernel/app-error";
import { readPageParam } from "~/features/ledger/schema";
import { listHref } from "~/kernel/list-url";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: holdStyles },
  { rel: "stylesheet", href: statementStyles },
  { rel: "stylesheet", href: dunningStyles },
];

export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, "customer", {}, `${args.data.customer.code} ${args.data.customer.name}`) : pageTitle(args, "customer");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const scope = ledgerScopeOf(user);
  const db = getDb();
  const lookup = await findCustomer(db, scope, params.code ?? "");
  if (!lookup.found && lookup.reason === "outside-scope") {
    throw errorPage(AppError.forbidden(OTHER_OWNER));
  }
  if (!lookup.found) throw errorPage(AppError.notFound());
  const { customer } = lookup;

  // Exact as of today from the customer's own documents: later-dated ones are left out.
  const asOf = today();
  const documents = await customerDocuments(db, scope, customer.id);
  const position = customerPosition(customer.code, documents, customer.creditLimit, asOf);
  const history = settlementHistory(documents.payments, documents.adjustments, asOf);
  const historyPage = pageInfo(readPageParam(new URL(request.url)), history.length);
  const { id: _id, ownerId: _ownerId, ...shown } = customer;
  return {
    customer: shown,
    position: {
      ...position,
      openInvoices: position.openInvoices.slice(0, MAX_PAGE_SIZE),
    },
    openInvoiceCount: position.openInvoices.length,
    history: history.slice(historyPage.offset, historyPage.offset + historyPage.pageSize),
    historyPage,
    hold: await loadHoldPanel(db, customer, position, can(user, "credit:review")).then(async (panel) => ({
      ...panel,
      current: panel.current ? ((await holdsIn(db, [panel.current], user.locale))[0] ?? null) : null,
      history: await holdsIn(db, panel.history, user.locale),
    })),
    creditReviewDecisions: await reviewCommentsIn(db, await customerReviewDecisions(db, customer.id), (row) => row.itemId, user.locale),
    collectionActions: await customerCollectionActions(db, user, customer, asOf),
    dunning: await dunningPanel(db, user, customer, asOf, position),
    contact: await customerContact(db, user, customer),
    sent: new URL(request.url).searchParams.get("sent"), // the letter an e-mail button just queued
  };
}


export default function CustomerPage() {
  const { t } = useTranslation();
  const { customer, position, openInvoiceCount, history, historyPage, hold, collectionActions, creditReviewDecisions, dunning, contact, sent } = useLoaderData<typeof loader>();
  const mailTo = contact.canEdit ? contact.email : null;
  const formatDate = useFormatDate();
  const path = `/customers/${encodeURIComponent(customer.code)}`;
  const notSet = <span className="muted">{t("customers.notSet")}</span>;

  return (
    <>
      <nav aria-label={t("customers.breadcrumb")} className="breadcrumb">
        <ol>
          <li>
            <Link to="/customers">{t("customers.back")}</Link>
          </li>
          <li aria-current="page">{customer.code}</li>
        </ol>
      </nav>
      <div className="page-head">
        <h1>
          {customer.name} <span className="page-head__code">{customer.code}</span>
        </h1>
        <CustomerStatusBadge status={customer.status} holdKind={hold.current?.kind ?? null} />
      </div>

      <section aria-label={t("customers.details")}>
        <dl className="facts">
          <div>
            <dt>{t("customers.region")}</dt>
            <dd>{customer.region ?? notSet}</dd>
          </div>
          <div>
            <dt>{t("customers.owner")}</dt>
            <dd>{customer.ownerName ?? <span className="muted">{t("customers.noOwner")}</span>}</dd>
          </div>
          <div>
            <dt>{t("customers.grade")}</dt>
            <dd>{customer.creditGrade ?? notSet}</dd>
          </div>
          <div>
            <dt>{t("customers.creditLimit")}</dt>
            <dd>
              {customer.creditLimit ? (
                <Amount minor={customer.creditLimit} />
              ) : (
                <span className="muted">{t("customers.noLimit")}</span>
              )}
            </dd>
          </div>
          <div>
            <dt>{t("customers.paymentTerms")}</dt>
            <dd>{t("customers.paymentTermsDays", { count: customer.paymentTermsDays })}</dd>
          </div>
        </dl>
      </section>

      <HoldPanel customer={customer} hold={hold} />

      <section aria-labelledby="position" className="section">
        <h2 id="position">{t("customers.position", { date: formatDate(position.asOf) })}</h2>
        <PositionFigures position={position} creditLimit={customer.creditLimit} />
        {position.laterDocuments > 0 ? (
          <p className="alert alert--warn">{t("customers.laterDocuments", { count: position.laterDocuments })}</p>
        ) : null}
      </section>

      <section aria-labelledby="aging" className="section">
        <h2 id="aging">{t("customers.aging")}</h2>
        <AgingTable position={position} />
      </section>

      <section aria-labelledby="open-invoices" className="section">
        <div className="section__head">
          <h2 id="open-invoices">{t("customers.openInvoices")}</h2>
          <Link to={listHref("/invoices", { customer: customer.code })}>{t("customers.allInvoices")}</Link>
        </div>
        <OpenInvoicesTable
          invoices={position.openInvoices}
          total={openInvoiceCount}
          asOf={position.asOf}
          moreHref={listHref("/invoices", { customer: customer.code })}
        />
      </section>

      <ContactEmailForm customerCode={customer.code} email={contact.email} canEdit={contact.canEdit} />

      <StatementForm customerCode={customer.code} today={position.asOf} mailTo={mailTo} sent={sent === "statement"} />

      <section aria-labelledby="history" className="section">
        <h2 id="history">{t("customers.history")}</h2>
        <HistoryTable
          lines={history}
          page={historyPage}
          hrefFor={(page) => listHref(path, { page: page === 1 ? undefined : page })}
        />
      </section>

      <ReviewDecisions decisions={creditReviewDecisions} />

      <CollectionActionsSection customerCode={customer.code} customerName={customer.name} {...collectionActions} />

      <DunningForm customerCode={customer.code} canPrint={dunning.canPrint} pausedUntil={dunning.pausedUntil} noLetter={dunning.noLetter} mailTo={mailTo} sent={sent === "dunning"} />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <CustomerNotFound />;
  // A 403 here is a staff user and another owner's customer (admins are refused the whole list).
  if (isRouteErrorResponse(error) && error.status === 403 && error.data === OTHER_OWNER) return <NotYourCustomer />;
  return <GeneralErrorBoundary />;
}
