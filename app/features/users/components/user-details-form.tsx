import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import type { Refusal } from "~/server/responses.server";
import { editUserDetailsSchema } from "~/features/users/schema";

interface Details {
  name: string;
  email: string;
}

/**
 * The administrator's form for a user's name and email. It posts the values it was loaded with;
 * after a refused stale save (409) it shows what is stored now beside the values typed, and the
 * next save is based on the stored ones (the form is keyed on them, so it starts afresh).
 */
export function UserDetailsForm({
  user,
  fieldErrors,
  refusal,
}: {
  user: Details;
  fieldErrors: Record<string, string[] | undefined>;
  /** The refusal of this form's last post (the one answer shape), if any. */
  refusal: Refusal<Details> | null;
}) {
  const conflict =
    refusal?.code === "conflict" && refusal.current
      ? { current: refusal.current, yours: { name: refusal.submitted.name ?? "", email: refusal.submitted.email ?? "" } }
      : null;
  // The values a save is based on: after a conflict, the stored ones it reported.
  const stored = conflict?.current ?? user;
  return <DetailsForm key={`${stored.name}\n${stored.email}`} user={stored} fieldErrors={fieldErrors} conflict={conflict} />;
}

function DetailsForm({
  user,
  fieldErrors,
  conflict,
}: {
  user: Details;
  fieldErrors: Record<string, string[] | undefined>;
  conflict: { current: Details; yours: Details } | null;
}) {
  const { t } = useTranslation();
  const typed = conflict?.yours ?? user;
  const { register, onSubmit, formState } = useValidatedForm(editUserDetailsSchema, {
    intent: "edit-details",
    name: typed.name,
    email: typed.email,
    expectedName: user.name,
    expectedEmail: user.email,
  });
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">{t("users.details")}</h2>
      {conflict ? (
        <div className="alert alert--warn" role="alert">
          <p>{t("users.conflict")}</p>
          <table>
            <caption className="visually-hidden">{t("users.conflictCaption")}</caption>
            <thead>
              <tr>
                <td />
                <th scope="col">{t("users.storedNow")}</th>
                <th scope="col">{t("users.yourValues")}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{t("users.name")}</th>
                <td>{conflict.current.name}</td>
                <td>{conflict.yours.name}</td>
              </tr>
              <tr>
                <th scope="row">{t("users.email")}</th>
                <td>{conflict.current.email}</td>
                <td>{conflict.yours.email}</td>
              </tr>
            </tbody>
          </table>
        </div>
      ) : null}
      <Form method="post" onSubmit={onSubmit} noValidate className="form-grid">
        <input type="hidden" defaultValue="edit-details" {...register("intent")} />
        <input type="hidden" defaultValue={user.name} {...register("expectedName")} />
        <input type="hidden" defaultValue={user.email} {...register("expectedEmail")} />
        <TextField
          label={t("users.name")}
          autoComplete="off"
          defaultValue={typed.name}
          error={formState.errors.name?.message ?? fieldErrors.name?.[0]}
          {...register("name")}
        />
        <TextField
          label={t("users.email")}
          type="email"
          autoComplete="off"
          defaultValue={typed.email}
          error={formState.errors.email?.message ?? fieldErrors.email?.[0]}
          {...register("email")}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            {t("users.saveDetails")}
          </button>
        </div>
      </Form>
    </section>
  );
}
