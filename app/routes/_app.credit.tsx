import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import creditStyles from "~/features/credit/components/credit.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: creditStyles }];

/** The credit pages share one section heading-less tab bar; each child route authorizes itself. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "ledger:read");
  return null;
}

const TABS = [
  { to: "/credit/review", label: "credit.tabs.review" },
  { to: "/credit/holds", label: "credit.tabs.holds" },
  { to: "/credit/confirmations", label: "credit.tabs.confirmations" },
  { to: "/credit/grades", label: "credit.tabs.grades" },
  { to: "/credit/dunning", label: "dunning.title" },
] as const;

export default function CreditLayout() {
  const { t } = useTranslation();
  return (
    <>
      <nav aria-label={t("credit.tabs.label")} className="credit-tabs">
        <ul>
          {TABS.map((tab) => (
            <li key={tab.to}>
              <NavLink to={tab.to} prefetch="intent">
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
