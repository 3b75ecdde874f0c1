import { useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { TextField } from "~/ui/field";

/** What the contact route answers: saved, or the refusal with its field errors. */
type ContactAnswer = { ok: true; email: string | null } | { ok: false; fieldErrors: Record<string, string[] | undefined> };

/** The customer's contact e-mail, where its letters are e-mailed; a form for whoever may log its actions. */
export function ContactEmailForm({ customerCode, email, canEdit }: { customerCode: string; email: string | null; canEdit: boolean }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<ContactAnswer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  return (
    <section aria-labelledby="contact-email" className="section">
      <h2 id="contact-email">{t("statements.contact.heading")}</h2>
      {answer?.ok ? (
        <p className="alert alert--success" role="status">
          {t("statements.contact.saved")}
        </p>
      ) : null}
      {canEdit ? (
        <fetcher.Form method="post" action={`/customers/${encodeURIComponent(customerCode)}/contact`} className="card statement-form">
          <input type="hidden" name="intent" value="contact-email" />
          <TextField
            id="contact-email-field"
            label={t("statements.contact.label")}
            type="email"
            name="email"
            defaultValue={email ?? ""}
            maxLength={254}
            help={t("statements.contact.help")}
            error={answer && !answer.ok ? answer.fieldErrors.email?.[0] : undefined}
          />
          <div className="statement-form__buttons">
            <button type="submit" className="button">
              {t("statements.contact.save")}
            </button>
          </div>
        </fetcher.Form>
      ) : (
        <p>{email ?? <span className="muted">{t("statements.contact.none")}</span>}</p>
      )}
    </section>
  );
}
