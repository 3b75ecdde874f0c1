import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { customerForLogging, recordCollectionAction } from "~/features/credit/collection-actions/collection-actions.server";
import { CollectionActionForm, type CollectionFieldErrors, KindChooser } from "~/features/credit/collection-actions/components/collection-actions";
import collectionStyles from "~/features/credit/collection-actions/components/collection-actions.css";
import creditStyles from "~/features/credit/components/credit.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { getDb } from "~/server/db.server";
import { unflattenForm } from "~/features/credit/grades/grades";
import {
  type CollectionActionFormValues,
  type CollectionActionKind,
  MAX_INSTALMENTS,
  emptyCollectionActionForm,
  formValuesFromPost,
  isCollectionActionKind,
  splitIntoMonthly,
} from "~/features/credit/collection-actions/schema";
import { readFormData } from "~/server/forms.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: creditStyles },
  { rel: "stylesheet", href: collectionStyles },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.customer.code} · Collection action · Quarterdeck` : "Collection action · Quarterdeck" },
];

async function customerOrThrow(request: Request, code: string) {
  const user = await requireUser(request);
  const found = await customerForLogging(getDb(), user, code);
  if (!found.ok) {
    throw new Response(found.status === 404 ? "No such customer." : "You do not have permission to do this.", {
      status: found.status,
      statusText: found.status === 404 ? "Not Found" : "Forbidden",
    });
  }
  return { user, customer: found.customer };
}

function kindOf(request: Request): CollectionActionKind {
  const kind = new URL(request.url).searchParams.get("kind");
  return isCollectionActionKind(kind) ? kind : "call";
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { customer } = await customerOrThrow(request, params.code ?? "");
  const kind = kindOf(request);
  const day = today();
  return { customer: { code: customer.code, name: customer.name }, kind, today: day, values: emptyCollectionActionForm(kind, day) };
}

type Answer = { ok: false; fieldErrors: CollectionFieldErrors; values: CollectionActionFormValues };

/**
 * Saves the action; or, posted by the schedule's buttons without JavaScript, answers the form
 * with a row added, removed, or the total split into monthly instalments (nothing saved).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, customer } = await customerOrThrow(request, params.code ?? "");
  const raw = unflattenForm((await readFormData(request)).entries());
  const intent = typeof raw.intent === "string" ? raw.intent : "save";
  const values = formValuesFromPost(raw, kindOf(request));

  if (intent === "add-instalment") {
    if (values.instalments.length < MAX_INSTALMENTS) values.instalments.push({ dueOn: "", amount: "" });
    return data<Answer>({ ok: false, fieldErrors: {}, values });
  }
  const remove = /^remove-instalment:(\d{1,2})$/.exec(intent);
  if (remove) {
    values.instalments.splice(Number(remove[1]), 1);
    return data<Answer>({ ok: false, fieldErrors: {}, values });
  }
  if (intent === "split") {
    const split = splitIntoMonthly(values.amount, String(raw.splitCount ?? ""), String(raw.splitFirst ?? ""));
    if (!split.ok) return data<Answer>({ ok: false, fieldErrors: { [split.field]: [split.message] }, values }, { status: 400 });
    return data<Answer>({ ok: false, fieldErrors: {}, values: { ...values, instalments: split.instalments } });
  }
  if (intent !== "save") throw new Response("Unknown action.", { status: 400, statusText: "Bad Request" });

  const outcome = await recordCollectionAction(getDb(), user, customer.code, raw, today());
  if (outcome.ok) return redirect(`/customers/${encodeURIComponent(customer.code)}?recorded=1#collection-actions`);
  if (outcome.status === 400) return data<Answer>({ ok: false, fieldErrors: outcome.fieldErrors, values: outcome.values }, { status: 400 });
  throw new Response("You do not have permission to do this.", { status: outcome.status });
}

export default function NewCollectionActionPage() {
  const { t } = useTranslation();
  const { customer, kind, today: day, values } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const customerHref = `/customers/${encodeURIComponent(customer.code)}`;
  // A kind forged into the post is answered with the page's own kind (and its error shown).
  const shown = answer?.values ? { ...answer.values, kind } : values;

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
      <CollectionActionForm
        // A fresh form for each kind, and for each answer the page gets back without JavaScript.
        key={`${kind}:${JSON.stringify(answer?.values ?? null)}`}
        today={day}
        kind={kind}
        defaultValues={shown}
        serverErrors={answer?.fieldErrors}
        submitting={navigation.state === "submitting"}
        cancelHref={customerHref}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
