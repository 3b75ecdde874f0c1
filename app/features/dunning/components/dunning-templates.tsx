import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { TextAreaField, TextField } from "~/ui/field";

export interface TemplateView {
  level: string;
  locale: string;
  subject: string;
  body: string;
  edited: { by: string | null; at: string } | null;
  preview: { subject: string; body: string };
}

export interface TemplateAnswer {
  ok: boolean;
  intent?: string | null;
  fieldErrors?: Record<string, string[] | undefined>;
  submitted?: Record<string, string>;
  level?: string;
  locale?: string;
}

/**
 * One template: the head's form (subject and text) beside a preview filled with an example
 * customer; read-only text for everyone else. A refused save shows its errors and keeps the typing.
 */
export function DunningTemplateCard({ template, canEdit, answer, formatWhen }: { template: TemplateView; canEdit: boolean; answer: TemplateAnswer | null; formatWhen: (iso: string) => string }) {
  const { t } = useTranslation();
  const intent = `save-${template.level}-${template.locale}`;
  const mine = answer && (answer.ok ? answer.level === template.level && answer.locale === template.locale : answer.intent === intent) ? answer : null;
  const refused = mine && !mine.ok ? mine : null;
  const error = (field: string) => refused?.fieldErrors?.[field]?.[0];
  const id = `${template.level}-${template.locale}`;
  return (
    <article className="card dunning-template" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>
        {t(`dunning.levels.${template.level}`)} · {t(`dunning.locales.${template.locale}`)}
      </h3>
      <p className="muted">{template.edited ? t("dunning.edited", { name: template.edited.by ?? "—", when: formatWhen(template.edited.at) }) : t("dunning.builtIn")}</p>
      {mine?.ok ? (
        <p className="alert alert--success" role="status">
          {t("dunning.saved")}
        </p>
      ) : null}
      <div className="dunning-template__grid">
        {canEdit ? (
          <Form method="post" key={mine?.ok ? "saved" : "editing"}>
            <input type="hidden" name="intent" value={intent} />
            <input type="hidden" name="level" value={template.level} />
            <input type="hidden" name="locale" value={template.locale} />
            <TextField id={`${id}-subject`} label={t("dunning.subject")} name="subject" defaultValue={refused?.submitted?.subject ?? template.subject} error={error("subject")} maxLength={200} required />
            <TextAreaField id={`${id}-body`} label={t("dunning.body")} name="body" rows={10} defaultValue={refused?.submitted?.body ?? template.body} error={error("body")} required />
            <button type="submit" className="button button--primary">
              {t("dunning.save")}
            </button>
          </Form>
        ) : null}
        <section aria-label={t("dunning.preview")} className="dunning-template__preview">
          <h4>{t("dunning.preview")}</h4>
          <p>
            <strong>{template.preview.subject}</strong>
          </p>
          <div className="user-text dunning-template__text">{template.preview.body}</div>
        </section>
      </div>
    </article>
  );
}
