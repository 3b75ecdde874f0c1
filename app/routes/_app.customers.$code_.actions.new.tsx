import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { customerForLogging, recordCollectionAction } from "~/features/credit/collection-actions/collection-actions.server";
import { CollectionActionForm, KindChooser } from "~/features/credit/collection-actions/components/collection-actions";
import collectionStyles from "~/features/credit/collection-actions/components/collection-actions.css";
import creditStyles from "~/features/credit/components/credit.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { getDb } from "~/server/db.server";
import { parseNestedFields } from "~/kernel/form-fields";
import {
  type CollectionActionFormValues,
  type CollectionActionKind,
  emptyCollectionActionForm,
  formValuesFromSubmitted,
  isCollectionActionKind,
  scheduleFormState,
} from "~/features/credit/collection-actions/schema";
import { attempt, orErrorPage, readFormData } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: creditStyles },
  { rel: "stylesheet", href: collectionStyles },
];
export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, "collectionAction", {}, args.data.customer.code) : pageTitle(args, "collectionAction");

function kindOf(request: Request): CollectionActionKind {
  const kind = new URL(request.url).searchParams.get("kind");
  return isCollectionActionKind(kind) ? kind : "call";
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const customer = await orErrorPage(() => customerForLogging(getDb(), user, params.code ?? ""));
  const kind = kindOf(request);
  const day = today();
  return { customer: { code: customer.code, name: customer.name }, kind, today: day, values: emptyCollectionActionForm(kind, day) };
}

/**
 * What a schedule button posted without JavaScript gets back: the form as it now stands (nothing
 * saved). Not a refusal: the structured values (the instalments array) are the answer itself.
 */
type FormState = { ok: true; intent: string; values: CollectionActionFormValues };

/**
 * `save` records the action and goes back to the customer; a schedule button (add, remove, split)
 * answers the form state. Refusals are the one Refusal shape: 403/404 as error pages, a wrong
 * entry or a button the form does not have as 400 with what was posted.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const chosen = typeof intent === "string" ? intent : "save";
  return attempt(
    async () => {
      const customer = await customerForLogging(getDb(), user, params.code ?? "");
      const raw = parseNestedFields(formData.entries());
      const values = scheduleFormState(chosen, raw, kindOf(request));
      if (values) return data<FormState>({ ok: true, intent: chosen, values });
      await recordCollectionAction(getDb(), user, customer.code, raw, today());
      return redirect(`/customers/${encodeURIComponent(customer.code)}?recorded=1#collection-actions`);
    },
    formData,
    chosen,
  );
}

export default function NewCollectionActionPage() {
  const { t } = useTranslation();
  const { customer, kind, today: day, values } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const customerHref = `/customers/${encodeURIComponent(customer.code)}`;
  const refused = answer && !answer.ok ? answer : null;
  // What the page answered with: a schedule button's form state, or what a refused post sent.
  const posted = answer ? (answer.ok ? answer.values : formValuesFromSubmitted(answer.submitted, kind)) : null;
  // A kind forged into the post is answered with the page's own kind (and its error shown).
  const shown = posted ? { ...posted, kind } : values;

  return (
    <>
      <nav aria-label={t("customers.breadcrumb")} className="breadcrumb">
        <ol>
          <li>
            <Link to="/customers">{t("customers.back")}</Link>
          </li>
          <li>
            <Link to={customerHref}>{customer.code}</Link>
          </li>
          <li aria-current="page">{t("collectionActions.record")}</li>
        </ol>
      </nav>
      <h1>{t("collectionActions.form.title", { customer: customer.name })}</h1>
      <p className="muted">{t("collectionActions.form.kindHelp")}</p>
      <KindChooser customerCode={customer.code} current={kind} />
      {refused?.message && Object.keys(refused.fieldErrors).length === 0 ? (
        <p className="alert alert--error" role="alert">
          {t(refused.message)}
        </p>
      ) : null}
      <CollectionActionForm
        // A fresh form for each kind, and for each answer the page gets back without JavaScript.
        key={`${kind}:${JSON.stringify(posted)}`}
        today={day}
        kind={kind}
        defaultValues={shown}
        serverErrors={refused?.fieldErrors}
        split={refused ? { count: refused.submitted.splitCount, first: refused.submitted.splitFirst } : undefined}
        submitting={navigation.state === "submitting"}
        cancelHref={customerHref}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
