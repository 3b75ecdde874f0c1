import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField, TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { getDb } from "~/server/db.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/kernel/password-policy";
import { ROLES } from "~/kernel/permissions";
import { createUserAccount, listUsers } from "~/features/users/index.server";
import { DEFAULT_NEW_USER_ROLE, createUserSchema } from "~/features/users/schema";
import { parseForm } from "~/server/forms.server";
import { attempt } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "users");

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "users:manage");
  return { users: await listUsers(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "users:manage");
  const parsed = await parseForm(request, createUserSchema);
  if (!parsed.ok) return parsed.response;
  return attempt(async () => {
    const { user, generatedPassword } = await createUserAccount(getDb(), parsed.value, admin.id);
    return { ok: true as const, email: user.email, generatedPassword };
  }, parsed.formData, "create");
}

export default function UsersPage() {
  const { t } = useTranslation();
  const { users } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, formState } = useValidatedForm(createUserSchema, { intent: "create", role: DEFAULT_NEW_USER_ROLE });
  // a refusal's fieldErrors are field name to messages; Remix's serialized type loses it
  const serverErrors = actionData && !actionData.ok ? (actionData.fieldErrors as Record<string, string[]>) : undefined;

  return (
    <>
      <h1>{t("users.title")}</h1>
      {actionData?.ok ? (
        <p className="alert alert--success" role="status">
          {actionData.generatedPassword
            ? t("users.createdWithPassword", { email: actionData.email, password: actionData.generatedPassword })
            : t("users.created", { email: actionData.email })}
        </p>
      ) : null}
      <div className="table-wrap">
        <table>
          <caption>{t("users.list")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("users.name")}</th>
              <th scope="col">{t("users.email")}</th>
              <th scope="col">{t("users.role")}</th>
              <th scope="col">{t("users.status")}</th>
              <th scope="col">{t("users.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td>{user.name}</td>
                <td>{user.email}</td>
                <td>{t(`roles.${user.role}`)}</td>
                <td>
                  <span className={user.active ? "badge badge--ok" : "badge badge--muted"}>
                    {user.active ? t("users.active") : t("users.inactive")}
                  </span>
                </td>
                <td>
                  <Link to={`/admin/users/${user.id}`} aria-label={`${t("users.edit")}: ${user.name}`}>
                    {t("users.edit")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <section className="card" aria-labelledby="create-user">
        <h2 id="create-user">{t("users.create")}</h2>
        <Form method="post" onSubmit={onSubmit} noValidate className="form-grid">
          <input type="hidden" value="create" {...register("intent")} />
          <TextField
            label={t("users.name")}
            autoComplete="off"
            error={formState.errors.name?.message ?? serverErrors?.name?.[0]}
            {...register("name")}
          />
          <TextField
            label={t("users.email")}
            type="email"
            autoComplete="off"
            error={formState.errors.email?.message ?? serverErrors?.email?.[0]}
            {...register("email")}
          />
          <SelectField
            label={t("users.role")}
            defaultValue={DEFAULT_NEW_USER_ROLE}
            error={formState.errors.role?.message ?? serverErrors?.role?.[0]}
            {...register("role")}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t("users.password")}
            type="password"
            autoComplete="new-password"
            help={t("users.passwordHelp", { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })}
            error={formState.errors.password?.message ?? serverErrors?.password?.[0]}
            {...register("password")}
          />
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              {t("users.createSubmit")}
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
