import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { PERIOD_PRESETS } from "~/features/scoreboard/scoreboard";
import { scoreboardPeriodSchema } from "~/features/scoreboard/schema";

/**
 * The period: two dates in a plain GET form (the URL is the state, and it works without
 * JavaScript), validated in the browser and again by the loader with the same schema, plus the
 * quick picks as links.
 */
export function PeriodForm({
  form,
  fieldErrors,
}: {
  form: { start: string; end: string };
  fieldErrors: Record<string, string[] | undefined>;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "loading" && navigation.location?.pathname === "/scoreboard";
  const { register, onSubmit, formState } = useValidatedForm(scoreboardPeriodSchema, form);
  const error = (name: "start" | "end") => formState.errors[name]?.message ?? fieldErrors[name]?.[0];
  return (
    <Form method="get" action="/scoreboard" className="filters scoreboard-period" aria-label={t("scoreboard.period")} onSubmit={onSubmit} noValidate>
      <div className="filters__fields">
        <TextField label={t("scoreboard.start")} type="date" {...register("start")} error={error("start")} required />
        <TextField label={t("scoreboard.end")} type="date" {...register("end")} error={error("end")} required />
      </div>
      <div className="filters__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t("scoreboard.computing") : t("scoreboard.show")}
        </button>
      </div>
      <nav className="scoreboard-presets" aria-label={t("scoreboard.quickPicks")}>
        <span className="muted">{t("scoreboard.quickPicks")}{t("common.colon")}</span>
        <ul>
          {PERIOD_PRESETS.map((preset) => (
            <li key={preset}>
              <Link to={`/scoreboard?preset=${preset}`}>{t(`scoreboard.presets.${preset}`)}</Link>
            </li>
          ))}
        </ul>
        {fieldErrors.preset?.[0] ? (
          <p className="field__error" role="alert">
            {t(fieldErrors.preset[0])}
          </p>
        ) : null}
      </nav>
    </Form>
  );
}
