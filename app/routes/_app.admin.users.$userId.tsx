import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { data } from "@remix-run/node";
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
import { findUserById } from "~/features/users/index.server";
import { changeRoleSchema, editUserDetailsSchema, resetPasswordSchema, setActiveSchema } from "~/features/users/schema";
import { changeRole, editUserDetails, resetPassword, setActive } from "~/features/users/users.server";
import { badRequest, parseForm } from "~/server/forms.server";

const editUserSchema = z.discriminatedUnion("intent", [editUserDetailsSchema, changeRoleSchema, setActiveSchema, resetPasswordSchema]);

async function requireTarget(params: { userId?: string }) {
  const id = Number(params.userId);
  const user = Number.isInteger(id) && id > 0 ? await findUserById(getDb(), id) : undefined;
  if (!user) throw new Response("No such user.", { status: 404 });
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "users:manage");
  return { user: await requireTarget(params) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "users:manage");
  const target = await requireTarget(params);
  const parsed = await parseForm(request, editUserSchema);
  if (!parsed.ok) return parsed.response;
  const form = parsed.value;
  if (form.intent === "edit-details") {
    const edit = await editUserDetails(target.id, form, admin.id);
    if (edit.ok) return data({ ok: true as const, message: "users.detailsSaved", fieldErrors: {} as Record<string, string[]> });
    if (edit.reason === "email-taken") return badRequest({ email: ["users.emailTaken"] });
    if (edit.reason === "not-found") throw new Response("No such user.", { status: 404 });
    return data(
      {
        ok: false as const,
        message: "users.conflict",
        fieldErrors: {} as Record<string, string[]>,
        conflict: { current: { name: edit.current.name, email: edit.current.email }, yours: { name: form.name, email: form.email } },
      },
      { status: 409 },
    );
  }
  const result =
    form.intent === "change-role"
      ? await changeRole(target.id, form.role, admin.id)
      : form.intent === "set-active"
        ? await setActive(target.id, form.active === "true", admin.id)
        : await resetPassword(target.id, form.password || undefined, admin.id);
  return data({ ...result, fieldErrors: {} as Record<string, string[]> }, { status: result.ok ? 200 : 400 });
}

/** After a refused stale save the page shows the user as stored now (Remix skips reloading after a 4xx). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

type DetailsConflict = { current: { name: string; email: string }; yours: { name: string; email: string } };

/** A refused stale save of the name and email: what is stored now and what was typed. */
function conflictOf(actionData: unknown): DetailsConflict | null {
  return actionData && typeof actionData === "object" && "conflict" in actionData ? (actionData as { conflict: DetailsConflict }).conflict : null;
}

export default function EditUserPage() {
  const { t } = useTranslation();
  const { user } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const fieldErrors = actionData?.fieldErrors ?? {};
  const password = actionData && "password" in actionData ? actionData.password : undefined;

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
        </span>
      </p>
      {actionData && "message" in actionData && actionData.message && !conflictOf(actionData) ? (
        <p className={actionData.ok ? "alert alert--success" : "alert alert--error"} role="status">
          {t(actionData.message, { password })}
        </p>
      ) : null}

      <UserDetailsForm
        user={user}
        fieldErrors={fieldErrors}
        conflict={conflictOf(actionData)}
      />

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
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
