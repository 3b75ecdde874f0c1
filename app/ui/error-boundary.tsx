import { isRouteErrorResponse, Link, useLocation, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * The one error display: a page a user can act on, never a stack trace.
 * 404 and 403 say what happened in words; anything else is logged and shown as a generic error.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  const { t, i18n } = useTranslation();

  let title = t("errors.title");
  let body = t("errors.generic");
  let status: number | undefined;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (error.status === 404) {
      title = t("errors.notFound");
      body = t("errors.notFoundBody", { path: location.pathname });
    } else if (error.status === 403) {
      title = t("errors.forbidden");
      body = t("errors.forbiddenBody");
    } else if (typeof error.data === "string" && error.data && error.status < 500) {
      // A refusal's body is an i18n key (server/responses.server.ts); older answers are plain words.
      body = i18n.exists(error.data) ? t(error.data) : error.data;
    }
  } else if (typeof document !== "undefined") {
    console.error(error);
  }

  return (
    <section className="error-page" role="alert" aria-labelledby="error-title">
      <h1 id="error-title">
        {status ? <span className="error-page__status">{status} </span> : null}
        {title}
      </h1>
      <p>{body}</p>
      <p className="error-page__actions">
        <Link to="/">{t("errors.goHome")}</Link>
        {status === 403 || status === 401 ? (
          <>
            {" · "}
            <Link to={`/login?${new URLSearchParams({ redirectTo: location.pathname })}`}>{t("errors.signIn")}</Link>
          </>
        ) : null}
      </p>
    </section>
  );
}
