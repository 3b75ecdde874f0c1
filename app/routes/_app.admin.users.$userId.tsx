import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";

import { requirePermission } from "~/server/auth.server";
import { UserDetailsForm } from "~/features/users/components/user-details-form";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField, TextField } from "~/ui/field";
import { getDb } from "~/server/db.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/kernel/password-policy";
import { ROLES } from "~/kernel/permissions";
import { changeRole, editUserDetails, hasTwoFactor, resetPassword, resetTwoFactor, setActive, userToEdit } from "~/features/users/index.server";
import { changeRoleSchema, editUserDetailsSchema, resetPasswordSchema, setActiveSchema } from "~/features/users/schema";
import { resetTwoFactorSchema } from "~/features/users/two-factor.schema";
import { parseForm } from "~/server/forms.server";
import { type Refusal, attempt, idParam, orErrorPage } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

const editUserSchema = z.discriminatedUnion("intent", [
  editUserDetailsSchema,
  changeRoleSchema,
  setActiveSchema,
  resetPasswordSchema,
  resetTwoFactorSchema,
]);

export const meta: MetaFunction = (args) => pageTitle(args, "user");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "users:manage");
  const userId = idParam(params, "userId");
  const user = await orErrorPage(() => userToEdit(getDb(), userId));
  return { user, twoFactor: await hasTwoFactor(getDb(), userId) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "users:manage");
  const userId = idParam(params, "userId");
  const parsed = await parseForm(request, editUserSchema);
  if (!parsed.ok) return parsed.response;
  const form = parsed.value;
  const db = getDb();
  return attempt(
    () =>
      form.intent === "edit-details"
        ? editUserDetails(db, userId, form, admin.id)
        : form.intent === "change-role"
          ? changeRole(db, userId, form.role, admin.id)
          : form.intent === "set-active"
            ? setActive(db, userId, form.active === "true", admin.id)
            : form.intent === "reset-two-factor"
              ? resetTwoFactor(db, userId, admin.id)
              : resetPassword(db, userId, form.password || undefined, admin.id),
    parsed.formData,
    form.intent,
  );
}

/** After a refused stale save the page shows the user as stored now (Remix skips reloading after a 4xx). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

/** The action's refusal (the one shape), or null after a success or a schema's 400. */
function refusalOf(actionData: unknown): Refusal<{ name: string; email: string }> | null {
  // an answer with a code is attempt()'s Refusal, for this page's name-and-email form
  return actionData && typeof actionData === "object" && "code" in actionData ? (actionData as Refusal<{ name: string; email: string }>) : null;
}

export default function EditUserPage() {
  const { t } = useTranslation();
  const { user, twoFactor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const refusal = refusalOf(actionData);
  const fieldErrors: Record<string, string[] | undefined> = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const password = actionData && "password" in actionData ? actionData.password : undefined;
  // A refusal at a field shows there; the alert carries what belongs to no field and the successes.
  const notice = actionData?.ok ? actionData.message : refusal && refusal.code !== "conflict" && Object.keys(refusal.fieldErrors).length === 0 ? refusal.message : null;

  return (
    <>
      <p>
        <Link to="/admin/users">← {t("users.back")}</Link>
      </p>
      <h1>{t("users.editTitle", { name: user.name })}</h1>
      <p className="lead">
        {user.email} ·{" "}
        <span className={user.active ? "badge badge--ok" : "badge badge--muted"}>
          {user.active ? t("users.active") : t("users.inactive")}
        </span>{" "}
        · {t("twoFactor.adminStatus")}{t("common.colon")}
        <span className={twoFactor ? "badge badge--ok" : "badge badge--muted"} data-testid="two-factor-status">
          {twoFactor ? t("twoFactor.on") : t("twoFactor.off")}
        </span>
      </p>
      {notice ? (
        <p className={actionData?.ok ? "alert alert--success" : "alert alert--error"} role="status">
          {t(notice, { password })}
        </p>
      ) : null}

      <UserDetailsForm user={user} fieldErrors={fieldErrors} refusal={refusal?.intent === "edit-details" ? refusal : null} />

      <div className="card-grid">
        <section className="card" aria-labelledby="role-title">
          <h2 id="role-title">{t("users.changeRole")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="change-role" />
            <SelectField label={t("users.role")} name="role" defaultValue={user.role} error={fieldErrors.role?.[0]}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`roles.${role}`)}
                </option>
              ))}
            </SelectField>
            <button type="submit" className="button button--primary">
              {t("users.saveRole")}
            </button>
          </Form>
        </section>

        <section className="card" aria-labelledby="status-title">
          <h2 id="status-title">{t("users.status")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="set-active" />
            <input type="hidden" name="active" value={user.active ? "false" : "true"} />
            <button type="submit" className={user.active ? "button button--danger" : "button"}>
              {user.active ? t("users.deactivate") : t("users.reactivate")}
            </button>
          </Form>
        </section>

        <section className="card" aria-labelledby="password-title">
          <h2 id="password-title">{t("users.resetPassword")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="reset-password" />
            <TextField
              label={t("users.password")}
              name="password"
              type="password"
              autoComplete="new-password"
              help={t("users.passwordHelp", { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })}
              error={fieldErrors.password?.[0]}
            />
            <button type="submit" className="button">
              {t("users.resetSubmit")}
            </button>
          </Form>
        </section>

        {twoFactor ? (
          <section className="card" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">{t("twoFactor.adminReset")}</h2>
            <p>{t("twoFactor.adminResetHelp")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="reset-two-factor" />
              <button type="submit" className="button button--danger">
                {t("twoFactor.adminReset")}
              </button>
            </Form>
          </section>
        ) : null}
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
