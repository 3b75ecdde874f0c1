/** An event's words in one language: the line of the inbox, an e-mail and a chat message. Pure. */
import type { TFunction } from "i18next";

import { formatAmount } from "~/kernel/money";
import { dateInWords } from "~/kernel/dates";
import type { Locale } from "~/i18n";

const CURRENCY = "CNY";

/** The parameters as a reader sees them: amounts (minor units under `amount`) formatted in their language. */
export function displayParams(params: Record<string, string | number>, locale: Locale, t: TFunction): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === "amount" && typeof value === "number") shown[key] = formatAmount(value, { locale, currency: CURRENCY });
    else if (key === "hold" && typeof value === "string") shown[key] = t(`holds.kind.${value}`);
    else if (key === "rule" && typeof value === "string") shown[key] = t(`warnings.kind.${value}`);
    else if (key === "severity" && typeof value === "string") shown[key] = t(`warnings.severity.${value}`);
    else if (key === "date" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) shown[key] = dateWords(value, locale);
    else if (key === "count" && typeof value === "number") shown[key] = value.toLocaleString(locale === "zh-CN" ? "zh-CN" : "en");
    else shown[key] = String(value);
  }
  return shown;
}

export function eventText(kind: string, params: Record<string, string | number>, locale: Locale, t: TFunction): string {
  const shown = displayParams(params, locale, t);
  // a digest is named by its kind and date, so its title follows the reader's language
  if (kind === "digest" && typeof params.digest === "string") return t(`notifications.digest.${params.digest}Title`, shown);
  // many warnings at once reach a person as one notice (emit.server.ts, warningsRaised)
  if (kind === "warning_raised" && typeof params.count === "number") return t("notifications.text.warningsRaisedMany", shown);
  // "1 file" / "2 files": i18next picks the wording by count
  if (kind === "import_finished" && typeof params.files === "number") return t("notifications.text.import_finished", { ...shown, count: params.files });
  return t(`notifications.text.${kind}`, shown);
}

/** A `YYYY-MM-DD` date as the pages write it ("7 Dec 2026", "2026年12月7日"). */
export function dateWords(iso: string, locale: Locale): string {
  return dateInWords(iso, locale, "short");
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
