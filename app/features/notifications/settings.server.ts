/**
 * How this installation sends: SMTP_URL (e.g. smtp://user:pass@mail.example.com:587) and
 * MAIL_FROM; unset, e-mail is off and every message stays in the inbox. QUARTERDECK_URL (where
 * the app is served) makes links in messages absolute. Read on every call, never cached.
 */
export function mailConfigured(): boolean {
  return Boolean(process.env.SMTP_URL?.trim());
}

export function mailSettings(): { url: string; from: string } | null {
  const url = process.env.SMTP_URL?.trim();
  if (!url) return null;
  return { url, from: process.env.MAIL_FROM?.trim() || "Quarterdeck <quarterdeck@localhost>" };
}

export function publicUrl(): string | undefined {
  return process.env.QUARTERDECK_URL?.trim() || undefined;
}
