import { Form, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { Locale } from "~/i18n";

/** One button offering the other language; a plain form post, so it works without JavaScript. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const other: Locale = i18n.language === "zh-CN" ? "en" : "zh-CN";
  return (
    <Form method="post" action="/set-locale" className="language-switch">
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button
        type="submit"
        name="locale"
        value={other}
        className="button button--ghost"
        lang={other}
        aria-label={`${t("language.switch")}: ${t(`language.${other}`)}`}
      >
        {t(`language.${other}`)}
      </button>
    </Form>
  );
}
