import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { getUser, startUserSession } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { LanguageSwitch } from "~/ui/language-switch";
import { safeRedirectPath } from "~/kernel/redirect-path";
import { signIn } from "~/server/login.server";
import { loginSchema } from "~/features/users/schema";
import { parseForm } from "~/server/forms.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Quarterdeck" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, loginSchema);
  if (!parsed.ok) return parsed.response;
  const { email, password, redirectTo } = parsed.value;
  const result = await signIn(email, password, context?.clientIp ?? "unknown");
  if (!result.ok) {
    return data(
      { ok: false as const, fieldErrors: {}, message: result.message, seconds: result.seconds ?? null },
      { status: result.status },
    );
  }
  return startUserSession(request, result.userId, context?.clientIp ?? null, redirectTo ?? "/");
}

export default function LoginPage() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { register, onSubmit, formState } = useValidatedForm(loginSchema);
  const serverErrors = actionData?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const message = actionData?.message;
  const seconds = actionData && "seconds" in actionData ? actionData.seconds : null;

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
        <h1>{t("login.title")}</h1>
        {serverErrors?.redirectTo?.[0] ? (
          <p className="alert alert--error" role="alert">
            {t(serverErrors.redirectTo[0])}
          </p>
        ) : null}
        {message ? (
          <p className="alert alert--error" role="alert">
            {t(message, { seconds: seconds ?? 0 })}
          </p>
        ) : null}
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
        <p className="login__hint">{t("login.demoHint")}</p>
        <LanguageSwitch />
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
