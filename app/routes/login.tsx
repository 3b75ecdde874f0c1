import { type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { clearedPendingHeaders, getUser, pendingSignInToken, startPendingSignIn, startUserSession } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { LanguageSwitch } from "~/ui/language-switch";
import { safeRedirectPath } from "~/kernel/redirect-path";
import { PENDING_EXPIRED, signIn, signInSecondStep } from "~/server/login.server";
import { AppError } from "~/kernel/app-error";
import { refusal } from "~/server/responses.server";
import { loginSchema } from "~/features/users/schema";
import { secondStepSchema } from "~/features/users/two-factor.schema";
import { TwoFactorStep } from "~/features/users/components/two-factor-step";
import { findPendingSignIn } from "~/features/users/index.server";
import { getDb } from "~/server/db.server";
import { parseFormData, readFormData } from "~/server/forms.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "signIn");

/** A page's answer carries no action header unless the route passes it on: a throttled sign-in's wait. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

/** The second step shows while this browser has a pending sign-in (a correct password, waiting for the code). */
export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  const token = await pendingSignInToken(request);
  return { step: token && (await findPendingSignIn(getDb(), token)) ? ("code" as const) : ("password" as const) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const clientIp = context?.clientIp ?? "unknown";
  const intent = formData.get("intent");
  try {
    if (typeof intent === "string") {
      const parsed = parseFormData(formData, secondStepSchema);
      if (!parsed.ok) return parsed.response;
      if (parsed.value.intent === "restart") throw redirect("/login", { headers: await clearedPendingHeaders(request) });
      const done = await signInSecondStep((await pendingSignInToken(request)) ?? "", parsed.value.code, clientIp);
      return startUserSession(request, done.userId, context?.clientIp ?? null, done.redirectTo ?? "/");
    }
    const parsed = parseFormData(formData, loginSchema);
    if (!parsed.ok) return parsed.response;
    const { email, password, redirectTo } = parsed.value;
    const passed = await signIn(email, password, clientIp);
    if (passed.twoFactor) return startPendingSignIn(request, passed.userId, redirectTo ?? null);
    return startUserSession(request, passed.userId, context?.clientIp ?? null, redirectTo ?? "/");
  } catch (error) {
    // Every refusal comes back to the form, a deactivated account's 403 too: it is the person's answer.
    if (!(error instanceof AppError)) throw error;
    // A code step without its pending sign-in goes back to the password: the cookie goes with it.
    const headers = error.messageKey === PENDING_EXPIRED ? await clearedPendingHeaders(request) : {};
    return refusal(error, formData, typeof intent === "string" ? intent : null, headers);
  }
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { step } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { register, onSubmit, formState } = useValidatedForm(loginSchema);
  const serverErrors = actionData?.fieldErrors;
  const message = actionData?.message;

  return (
    <main className="login" id="main">
      <div className="login__card">
        <div className="login__brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <p className="login__name">Quarterdeck</p>
            <p className="login__tagline">{t("app.tagline")}</p>
          </div>
        </div>
        {step === "code" ? null : <h1>{t("login.title")}</h1>}
        {serverErrors?.redirectTo?.[0] ? (
          <p className="alert alert--error" role="alert">
            {t(serverErrors.redirectTo[0])}
          </p>
        ) : null}
        {message ? (
          <p className="alert alert--error" role="alert">
            {t(message, { replace: actionData.params })}
          </p>
        ) : null}
        {step === "code" ? (
          <TwoFactorStep error={serverErrors?.code?.[0]} />
        ) : (
          <Form method="post" onSubmit={onSubmit} noValidate>
            {/* A link carrying a foreign or malformed target signs in to the dashboard instead. */}
            <input type="hidden" name="redirectTo" value={safeRedirectPath(searchParams.get("redirectTo"))} />
            <TextField
              label={t("login.email")}
              type="email"
              autoComplete="username"
              autoFocus
              error={formState.errors.email?.message ?? serverErrors?.email?.[0]}
              {...register("email")}
            />
            <TextField
              label={t("login.password")}
              type="password"
              autoComplete="current-password"
              error={formState.errors.password?.message ?? serverErrors?.password?.[0]}
              {...register("password")}
            />
            <button type="submit" className="button button--primary button--block" disabled={navigation.state !== "idle"}>
              {navigation.state === "submitting" ? t("login.submitting") : t("login.submit")}
            </button>
          </Form>
        )}
        <p className="login__hint">{t("login.demoHint")}</p>
        <LanguageSwitch />
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
