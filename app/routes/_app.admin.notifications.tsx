import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { parseFormData, readFormData } from "~/server/forms.server";
import { attempt } from "~/server/responses.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField, TextField } from "~/ui/field";
import { addRobot, loadRobots, removeRobot } from "~/features/notifications/index.server";
import { robotSchema } from "~/features/notifications/schema";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "robots");

/** The administrator's group chat robots (WeCom, DingTalk, Feishu webhooks). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "settings:manage");
  return loadRobots(getDb(), user);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "settings:manage");
  const formData = await readFormData(request);
  const parsed = parseFormData(formData, robotSchema);
  if (!parsed.ok) return parsed.response;
  const value = parsed.value;
  return attempt(async () => {
    if (value.intent === "add-robot") await addRobot(getDb(), user, value);
    else await removeRobot(getDb(), user, value.robotId);
    return { ok: true as const, done: value.intent };
  }, value.intent === "add-robot" ? null : formData, value.intent);
}

export default function RobotsPage() {
  const { t } = useTranslation();
  const { robots, keyConfigured } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const done = actionData?.ok ? actionData.done : null;
  // a refusal's fieldErrors are field name to messages; Remix's serialized type loses it
  const errors = actionData && !actionData.ok ? (actionData.fieldErrors as Record<string, string[]>) : {};
  return (
    <>
      <h1>{t("notifications.robots.title")}</h1>
      <p className="muted">{t("notifications.robots.intro")}</p>
      {keyConfigured ? null : <p className="alert alert--warn">{t("notifications.robots.keyMissing")}</p>}
      {done ? (
        <p className="alert alert--success" role="status">
          {t(done === "add-robot" ? "notifications.robots.added" : "notifications.robots.removed")}
        </p>
      ) : null}
      <section className="card">
        {robots.length === 0 ? (
          <p className="muted">{t("notifications.robots.none")}</p>
        ) : (
          <ul className="inbox">
            {robots.map((robot) => (
              <li key={robot.id} className="inbox__entry">
                <span>
                  <strong>{robot.name}</strong> · {t(`notifications.robots.kind.${robot.kind}`)} · {robot.locale === "zh-CN" ? "简体中文" : "English"}
                </span>
                <Form method="post" className="inbox__action">
                  <input type="hidden" name="intent" value="remove-robot" />
                  <input type="hidden" name="robotId" value={robot.id} />
                  <button type="submit" className="button">
                    {t("notifications.robots.remove")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card">
        <h2>{t("notifications.robots.add")}</h2>
        <Form method="post" className="form-grid">
          <input type="hidden" name="intent" value="add-robot" />
          <SelectField label={t("notifications.robots.type")} name="kind" defaultValue="wecom">
            <option value="wecom">{t("notifications.robots.kind.wecom")}</option>
            <option value="dingtalk">{t("notifications.robots.kind.dingtalk")}</option>
            <option value="feishu">{t("notifications.robots.kind.feishu")}</option>
          </SelectField>
          <TextField label={t("notifications.robots.name")} name="name" required maxLength={80} error={errors.name?.[0]} />
          <TextField label={t("notifications.robots.url")} name="url" type="url" required error={errors.url?.[0]} autoComplete="off" />
          <TextField label={t("notifications.robots.secret")} name="secret" type="password" autoComplete="off" />
          <SelectField label={t("notifications.robots.locale")} name="locale" defaultValue="zh-CN">
            <option value="zh-CN" lang="zh-CN">
              简体中文
            </option>
            <option value="en" lang="en">
              English
            </option>
          </SelectField>
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              {t("notifications.robots.add")}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
