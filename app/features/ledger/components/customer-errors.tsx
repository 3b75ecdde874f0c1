import { Link, useParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { listHref } from "~/kernel/list-url";

/** The i18n key a refused customer page answers with: staff and another owner's customer. */
export const OTHER_OWNER = "customers.forbiddenTitle";

export function NotYourCustomer() {
  const { t } = useTranslation();
  const code = useParams().code ?? "";
  return (
    <section className="error-page" role="alert" aria-labelledby="error-title">
      <h1 id="error-title">
        <span className="error-page__status">403 </span>
        {t("customers.forbiddenTitle", { code })}
      </h1>
      <p>{t("customers.forbiddenBody", { code })}</p>
      <p className="error-page__actions">
        <Link to="/customers">{t("customers.yourCustomers")}</Link>
      </p>
    </section>
  );
}

export function CustomerNotFound() {
  const { t } = useTranslation();
  const code = useParams().code ?? "";
  return (
    <section className="error-page" role="alert" aria-labelledby="error-title">
      <h1 id="error-title">
        <span className="error-page__status">404 </span>
        {t("customers.notFoundTitle", { code })}
      </h1>
      <p>{t("customers.notFoundBody", { code })}</p>
      <p className="error-page__actions">
        <Link to={listHref("/customers", { q: code })}>{t("customers.searchFor", { code })}</Link>
        {" · "}
        <Link to="/customers">{t("customers.back")}</Link>
      </p>
    </section>
  );
}
