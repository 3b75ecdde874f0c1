import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LanguageSwitch } from "~/components/language-switch";
import { navigationFor } from "~/domain/navigation";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user: { id: user.id, name: user.name, role: user.role }, nav: navigationFor(user) };
}

function Shell({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const { user, nav } = useLoaderData<typeof loader>();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="topbar">
        <div className="topbar__brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>Quarterdeck</span>
        </div>
        <nav aria-label={t("nav.main")} className="topbar__nav">
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === "/"}>
                  {t(item.label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar__user">
          <span className="topbar__who">
            {user.name} · {t(`roles.${user.role}`)}
          </span>
          <LanguageSwitch />
          <Form method="post" action="/logout">
            <button type="submit" className="button button--ghost">
              {t("nav.signOut")}
            </button>
          </Form>
        </div>
      </header>
      <main className="page" id="main">
        {children}
      </main>
    </>
  );
}

export default function AppLayout() {
  return (
    <Shell>
      <Outlet />
    </Shell>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
