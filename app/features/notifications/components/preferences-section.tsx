import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { Channel, EventKind } from "~/features/notifications/events";
import { CHANNELS } from "~/features/notifications/events";

/** My settings' notification choices: one select per kind of event. */
export function NotificationPreferencesSection({ choices, mail, saved }: { choices: { kind: EventKind; channel: Channel }[]; mail: boolean; saved: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="notification-choices">
      <h2 id="notification-choices">{t("notifications.preferences.title")}</h2>
      <p className="muted">{t("notifications.preferences.intro")}</p>
      {mail ? null : <p className="muted">{t("notifications.preferences.noMail")}</p>}
      {saved ? (
        <p className="alert alert--success" role="status">
          {t("notifications.preferences.saved")}
        </p>
      ) : null}
      <Form method="post" className="form-grid notification-choices">
        <input type="hidden" name="intent" value="notifications" />
        {choices.map((choice) => (
          <div className="field" key={choice.kind}>
            <label htmlFor={`notify-${choice.kind}`}>{t(`notifications.kind.${choice.kind}`)}</label>
            <select id={`notify-${choice.kind}`} name={`notify-${choice.kind}`} defaultValue={choice.channel}>
              {CHANNELS.map((channel) => (
                <option key={channel} value={channel}>
                  {t(`notifications.preferences.channel.${channel}`)}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            {t("notifications.preferences.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
