import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, useEffect, useMemo } from "react";
import { I18nextProvider } from "react-i18next";

import { getUser } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { createI18n, type Locale } from "~/i18n";
import { displayTimeZone } from "~/server/env.server";
import { resolveLocale } from "~/server/locale.server";
import appStyles from "~/ui/app.css";
import printStyles from "~/ui/print.css";
import { useNonce } from "~/ui/nonce";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: appStyles },
  { rel: "stylesheet", href: printStyles },
];

export const meta: MetaFunction = () => [{ title: "Quarterdeck" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return {
    user: user && { id: user.id, name: user.name, email: user.email, role: user.role },
    locale: await resolveLocale(request, user),
    amountUnit: user?.amount_unit ?? "yuan",
    timeZone: displayTimeZone(),
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

const ZOD_CONFIG_SCRIPT = "globalThis.__zod_globalConfig=Object.assign(globalThis.__zod_globalConfig||{},{jitless:true});";

function Document({ locale, children }: { locale: Locale; children: ReactNode }) {
  const nonce = useNonce();
  const i18n = useMemo(() => createI18n(locale), [locale]);
  // Says the page is React's from here on: whatever changes the document before (a browser test
  // marking table rows to find them in the printed PDF) would fail the hydration.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/*
          Zod compiles validators with Function() unless told not to, and its feature check alone
          (new Function(""), run while schemas are built, before any module of ours could call
          z.config) trips the CSP, which has no 'unsafe-eval', and is reported as a violation.
          Zod reads this global when it loads; the forms are small, interpreted validation is plenty.
        */}
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: ZOD_CONFIG_SCRIPT }} />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>{children}</I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { locale } = useLoaderData<typeof loader>();
  return (
    <Document locale={locale}>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <Document locale={data?.locale ?? "en"}>
      <main className="page page--narrow" id="main">
        <GeneralErrorBoundary />
      </main>
    </Document>
  );
}
