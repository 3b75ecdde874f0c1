/** An event's words in one language: the line of the inbox, an e-mail and a chat message. Pure. */
import type { TFunction } from "i18next";

import { formatAmount } from "~/kernel/money";
import type { Locale } from "~/i18n";

const CURRENCY = "CNY";

/** The parameters as a reader sees them: amounts (minor units under `amount`) formatted in their language. */
export function displayParams(params: Record<string, string | number>, locale: Locale, t: TFunction): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === "amount" && typeof value === "number") shown[key] = formatAmount(value, { locale, currency: CURRENCY });
    else if (key === "hold" && typeof value === "string") shown[key] = t(`holds.kind.${value}`);
    else shown[key] = String(value);
  }
  return shown;
}

export function eventText(kind: string, params: Record<string, string | number>, locale: Locale, t: TFunction): string {
  return t(`notifications.text.${kind}`, displayParams(params, locale, t));
}

/** An absolute link when the installation says where it is served (QUARTERDECK_URL), else the path. */
export function absoluteLink(baseUrl: string | undefined, link: string): string {
  const base = baseUrl?.trim().replace(/\/+$/, "");
  return base ? `${base}${link}` : link;
}

export function mailOf(text: string, link: string, t: TFunction, detail?: string): { subject: string; body: string } {
  const subject = t("notifications.mail.subject", { text: text.length > 120 ? `${text.slice(0, 117)}...` : text });
  const middle = detail ? `\n\n${detail}` : "";
  return { subject, body: `${text}${middle}\n\n${t("notifications.mail.open", { url: link })}\n\n-- \n${t("notifications.mail.footer")}\n` };
}

/** A digest's section: its heading and one line per entry, or "Nothing." */
export function digestSection(heading: string, lines: readonly string[], t: TFunction): string {
  return `${heading}\n${lines.length === 0 ? `  ${t("notifications.digest.nothing")}` : lines.map((line) => `  - ${line}`).join("\n")}`;
}
