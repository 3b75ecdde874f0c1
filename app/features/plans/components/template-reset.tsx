import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** "Reset to the standard template" (head), with what it does said before the button. */
export function TemplateResetSection({ edited, notice }: { edited: boolean; notice: string | null }) {
  const { t } = useTranslation();
  if (!edited && !notice) return null;
  return (
    <section className="card" aria-labelledby="reset-template">
      <h2 id="reset-template">{t("planTemplate.reset.title")}</h2>
      {notice ? (
        <p className="alert alert--success" role="status">
          {notice}
        </p>
      ) : null}
      {edited ? (
        <Form method="post">
          <p>{t("planTemplate.reset.confirm")}</p>
          <input type="hidden" name="intent" value="reset" />
          <button type="submit" className="button button--danger">
            {t("planTemplate.reset.submit")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
